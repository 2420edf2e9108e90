/*
 * orchide-inotify: streams the inotify events of directories to the agent's data watcher over a pipe.
 *
 * Why a helper and not the JDK's WatchService: the WatchService reports a file renamed in (IN_MOVED_TO) and a file
 * created empty (IN_CREATE) both as ENTRY_CREATE and never reports a writer's close (IN_CLOSE_WRITE), so the watcher
 * had to wait a settle time before firing a renamed-in file. The agent is compiled for Java 21, where the FFM API
 * that could reach inotify directly is not final; a helper built like orchide-shim works on every runtime.
 *
 * Protocol (every record ends with a NUL byte, so any file name passes unchanged):
 *   stdin:  a directory path to watch. Answer on stdout: "A<wd>" once it is watched, "F<errno>" if it cannot be.
 *   stdout: "<kind><wd>\t<name>" for an event on a regular entry of a watched directory, kind one of
 *           C (IN_CLOSE_WRITE), M (IN_MOVED_TO), N (IN_CREATE), W (IN_MODIFY);
 *           "I<wd>" when a directory is no longer watched (removed, unmounted);
 *           "O" when the kernel's event queue overflowed (events were lost: rescan everything).
 * The helper exits when stdin reaches its end (the agent closed the pipe or died) and when its parent dies.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <unistd.h>

#define MASK (IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_MODIFY | IN_ONLYDIR)

static char request[PATH_MAX + 1];
static size_t requestLen;

static void put_record(const char *s, size_t n) {
    fwrite(s, 1, n, stdout);
    fputc('\0', stdout);
}

static void add_watch(int fd, const char *dir) {
    char reply[32];
    int wd = inotify_add_watch(fd, dir, MASK);
    int n = wd < 0 ? snprintf(reply, sizeof reply, "F%d", errno) : snprintf(reply, sizeof reply, "A%d", wd);
    put_record(reply, (size_t) n);
}

/* Returns 0 at the end of stdin. */
static int read_requests(int fd) {
    char buf[4096];
    ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
    if (n < 0) return errno == EINTR || errno == EAGAIN;
    if (n == 0) return 0;
    for (ssize_t i = 0; i < n; i++) {
        if (buf[i] == '\0') {
            request[requestLen] = '\0';
            add_watch(fd, request);
            requestLen = 0;
        } else if (requestLen < PATH_MAX) {
            request[requestLen++] = buf[i];
        }
    }
    return 1;
}

static void read_events(int fd) {
    char buf[64 * 1024] __attribute__((aligned(__alignof__(struct inotify_event))));
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) return;
    for (char *p = buf; p < buf + n;) {
        const struct inotify_event *e = (const struct inotify_event *) p;
        p += sizeof *e + e->len;
        char head[32];
        int h;
        if (e->mask & IN_Q_OVERFLOW) {
            put_record("O", 1);
            continue;
        }
        if (e->mask & IN_IGNORED) {
            h = snprintf(head, sizeof head, "I%d", e->wd);
            put_record(head, (size_t) h);
            continue;
        }
        if ((e->mask & IN_ISDIR) || e->len == 0) continue;
        char kind = (e->mask & IN_MOVED_TO) ? 'M' : (e->mask & IN_CLOSE_WRITE) ? 'C' : (e->mask & IN_CREATE) ? 'N' : 'W';
        h = snprintf(head, sizeof head, "%c%d\t", kind, e->wd);
        fwrite(head, 1, (size_t) h, stdout);
        put_record(e->name, strlen(e->name));
    }
}

int main(void) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() == 1) return 0;
    int fd = inotify_init1(IN_CLOEXEC);
    if (fd < 0) {
        perror("orchide-inotify: inotify_init1");
        return 1;
    }
    struct pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {fd, POLLIN, 0}};
    for (;;) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            perror("orchide-inotify: poll");
            return 1;
        }
        if (fds[1].revents & POLLIN) read_events(fd);
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            if (!read_requests(fd)) return 0;
        }
        if (fflush(stdout) != 0) return 0;
    }
}
