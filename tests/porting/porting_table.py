"""docs/porting.md's table, read once for the scripts that check it
(tests/python/test_porting_table.py, tests/platforms/check_platforms.py)."""

COLUMNS = ["name", "kind", "C++", "section", "status", "platforms"]


def cells(line):
    """The cells of a markdown table row, as written (code spans kept)."""
    return [c.strip() for c in line.strip().strip("|").split("|")]


def table_rows(lines):
    """(index in lines, cells) of the rows of the table whose header is
    COLUMNS (backticks around a header cell allowed)."""
    rows, in_table = [], False
    for i, line in enumerate(lines):
        if not line.lstrip().startswith("|"):
            in_table = False
        elif [c.strip("`") for c in cells(line)] == COLUMNS:
            in_table = True
        elif in_table and set(line.strip()) <= set("|-: "):
            continue
        elif in_table:
            rows.append((i, cells(line)))
    return rows
