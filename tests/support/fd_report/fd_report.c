/* The child of spawn_safety_test: reports the descriptors it inherited.
 *
 *   oscpp_fd_report CODE [FD | =FD | pFD]...
 *
 * Exits with CODE plus the number of problems, capped at 255. A problem is
 * a descriptor open beyond 0, 1, 2 and the listed ones (a stray), a listed
 * "=FD" that is not open, or a listed "pFD" that is not a pipe. Each
 * problem is named on stderr. Plain C, linked statically where possible:
 * the test starts it tens of thousands of times, so it must start fast. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { kMaxListed = 64 };

int main(int argc, char** argv) {
  int listed[kMaxListed];
  int n_listed = 0;
  int problems = 0;
  if (argc < 2) {
    fputs("usage: oscpp_fd_report CODE [FD | =FD | pFD]...\n", stderr);
    return 255;
  }
  int code = atoi(argv[1]);
  for (int i = 2; i < argc && n_listed < kMaxListed; ++i) {
    const char* a = argv[i];
    char kind = (a[0] == '=' || a[0] == 'p') ? a[0] : 0;
    int fd = atoi(kind ? a + 1 : a);
    listed[n_listed++] = fd;
    struct stat st;
    if (kind == '=' && fcntl(fd, F_GETFD) == -1) {
      fprintf(stderr, "oscpp_fd_report: fd %d is not open\n", fd);
      ++problems;
    } else if (kind == 'p' && (fstat(fd, &st) != 0 || !S_ISFIFO(st.st_mode))) {
      fprintf(stderr, "oscpp_fd_report: fd %d is not a pipe\n", fd);
      ++problems;
    }
  }
  /* The directory's own descriptor is the one stray we make ourselves. */
  DIR* dir = opendir("/proc/self/fd");
  if (dir == NULL) {
    perror("oscpp_fd_report: /proc/self/fd");
    return 254;
  }
  int own = dirfd(dir);
  struct dirent* e;
  while ((e = readdir(dir)) != NULL) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    int fd = atoi(e->d_name);
    if (fd <= 2 || fd == own) continue;
    int allowed = 0;
    for (int i = 0; i < n_listed; ++i) allowed |= listed[i] == fd;
    if (allowed) continue;
    char proc[64], target[256];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    ssize_t len = readlink(proc, target, sizeof target - 1);
    target[len < 0 ? 0 : len] = '\0';
    fprintf(stderr, "oscpp_fd_report: stray fd %d -> %s\n", fd, target);
    ++problems;
  }
  closedir(dir);
  int status = code + problems;
  return status > 255 ? 255 : status;
}
