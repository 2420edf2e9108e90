/*
 * orchide-shim: parents one monitor process so that it outlives the agent.
 *
 *   orchide-shim --run-dir DIR --console FILE --log-max BYTES -- CMD ARGS...
 *
 * Runs CMD in DIR with stdin on /dev/null and stdout+stderr on a pipe, copies that
 * output into a bounded console ring (FILE and FILE.1, each at most BYTES/2), writes
 * DIR/pid once CMD is exec'd (shim and monitor pids, the monitor's start time, and execat: the
 * wall-clock microsecond of the exec) and DIR/exit once it has ended, both atomically.
 * Prints "ready <monitor-pid>" on its own stdout after the exec, then detaches from it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *run_dir, *console_path;
static char console_old[4096];
static long long half_max;
static int held = -1;             /* write end the first process waits on */
static int console_fd = -1;
static long long console_size;

static void die(const char *what) {
    fprintf(stderr, "orchide-shim: %s: %s\n", what, strerror(errno));
    exit(125);
}

static int write_all(int fd, const char *buf, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, buf, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Writes DIR/name atomically: DIR/name.tmp, fsync, rename. */
static int write_atomic(const char *name, const char *text) {
    char tmp[4096], dst[4096];
    snprintf(dst, sizeof dst, "%s/%s", run_dir, name);
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp", run_dir, name);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return -1;
    if (write_all(fd, text, strlen(text)) < 0 || fsync(fd) < 0) {
        close(fd);
        return -1;
    }
    close(fd);
    return rename(tmp, dst);
}

static void console_open(void) {
    console_fd = open(console_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    struct stat st;
    console_size = (console_fd >= 0 && fstat(console_fd, &st) == 0) ? (long long)st.st_size : 0;
}

/* Appends to the console ring; FILE is rotated to FILE.1 when it reaches half of --log-max. */
static void console_write(const char *buf, size_t n) {
    while (n > 0) {
        if (console_fd < 0) return;
        if (console_size >= half_max) {
            close(console_fd);
            rename(console_path, console_old);
            console_open();
            continue;
        }
        size_t room = (size_t)(half_max - console_size);
        size_t chunk = n < room ? n : room;
        if (write_all(console_fd, buf, chunk) < 0) return;
        console_size += (long long)chunk;
        buf += chunk;
        n -= chunk;
    }
}

/* Field 22 of /proc/PID/stat: start time in clock ticks after boot. */
static unsigned long long start_time(pid_t pid) {
    char path[64], buf[4096];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return 0;
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    if (!p) return 0;
    p += 2; /* now at field 3 (state) */
    for (int field = 3; field < 22 && p; field++) {
        p = strchr(p, ' ');
        if (p) p++;
    }
    return p ? strtoull(p, NULL, 10) : 0;
}

static long long now_millis(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void write_exit(int status) {
    char text[128];
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    snprintf(text, sizeof text, "code=%d\nsignal=%d\nat=%lld\n", code, sig, now_millis());
    if (write_atomic("exit", text) < 0) {
        const char *msg = "orchide-shim: cannot write exit file\n";
        console_write(msg, strlen(msg));
    }
}

/* Copies what is readable from the output pipe into the console; returns 0 at end of file. */
static int pump(int fd) {
    char buf[65536];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n > 0) {
            console_write(buf, (size_t)n);
            if ((size_t)n < sizeof buf) return 1;
            continue;
        }
        if (n == 0) return 0;
        if (errno == EINTR) continue;
        return errno == EAGAIN ? 1 : 0;
    }
}

static void usage(void) {
    fprintf(stderr, "usage: orchide-shim --run-dir DIR --console FILE --log-max BYTES -- CMD ARGS...\n");
    exit(2);
}

int main(int argc, char **argv) {
    long long log_max = 0;
    int i = 1;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) { i++; break; }
        if (i + 1 >= argc) usage();
        if (strcmp(argv[i], "--run-dir") == 0) run_dir = argv[++i];
        else if (strcmp(argv[i], "--console") == 0) console_path = argv[++i];
        else if (strcmp(argv[i], "--log-max") == 0) log_max = atoll(argv[++i]);
        else usage();
    }
    if (!run_dir || !console_path || log_max < 2 || i >= argc) usage();
    char **cmd = argv + i;
    half_max = log_max / 2;
    snprintf(console_old, sizeof console_old, "%s.1", console_path);

    /* Detach: the agent's own child exits at once, so the agent keeps no process (and no reaper thread) per
     * workload; this process is adopted by init or the nearest subreaper and keeps the agent's pipe open
     * until it has said "ready". */
    int hold[2]; /* the first process stays until the detached one has said ready, so the line is not lost
                    when the agent's runtime closes the pipe of a child that has exited */
    if (pipe2(hold, O_CLOEXEC) < 0) die("pipe");
    pid_t first = fork();
    if (first < 0) die("fork");
    if (first > 0) {
        close(hold[1]);
        char c;
        while (read(hold[0], &c, 1) < 0 && errno == EINTR) {}
        _exit(0);
    }
    close(hold[0]);
    held = hold[1];
    setsid();
    signal(SIGHUP, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (devnull < 0) die("open /dev/null");
    dup2(devnull, STDIN_FILENO);

    int out[2], ready[2];
    if (pipe2(out, O_CLOEXEC) < 0 || pipe2(ready, O_CLOEXEC) < 0) die("pipe");
    sigset_t mask, old;
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigprocmask(SIG_BLOCK, &mask, &old);
    int sfd = signalfd(-1, &mask, SFD_CLOEXEC);
    if (sfd < 0) die("signalfd");
    console_open();
    if (console_fd < 0) die(console_path);

    pid_t child = fork();
    if (child < 0) die("fork");
    if (child == 0) {
        sigprocmask(SIG_SETMASK, &old, NULL);
        signal(SIGHUP, SIG_DFL);
        signal(SIGPIPE, SIG_DFL);
        dup2(out[1], STDOUT_FILENO);
        dup2(out[1], STDERR_FILENO);
        int err = 0;
        if (chdir(run_dir) == 0) execvp(cmd[0], cmd);
        err = errno;
        if (write(ready[1], &err, sizeof err) < 0) _exit(127);
        _exit(127);
    }
    close(out[1]);
    close(ready[1]);
    int err = 0;
    ssize_t got;
    while ((got = read(ready[0], &err, sizeof err)) < 0 && errno == EINTR) {}
    struct timespec exec_at; /* EOF on the close-on-exec pipe: the monitor has just been exec'd */
    clock_gettime(CLOCK_REALTIME, &exec_at);
    close(ready[0]);
    if (got > 0) {
        char msg[4200];
        snprintf(msg, sizeof msg, "orchide-shim: cannot exec %s: %s\n", cmd[0], strerror(err));
        console_write(msg, strlen(msg));
        int status;
        waitpid(child, &status, 0);
        write_exit(status);
        fprintf(stdout, "failed %s", msg + 14);
        return 127;
    }

    char text[256];
    snprintf(text, sizeof text, "shim=%d\nmonitor=%d\nstarttime=%llu\nexecat=%lld\n", (int)getpid(), (int)child,
             start_time(child), (long long)exec_at.tv_sec * 1000000LL + exec_at.tv_nsec / 1000);
    if (write_atomic("pid", text) < 0) {
        const char *msg = "orchide-shim: cannot write pid file\n";
        console_write(msg, strlen(msg));
    }
    printf("ready %d\n", (int)child);
    fflush(stdout);
    close(held);
    dup2(devnull, STDOUT_FILENO);
    dup2(devnull, STDERR_FILENO);
    close(devnull);

    fcntl(out[0], F_SETFL, O_NONBLOCK);
    struct pollfd fds[2] = {{.fd = out[0], .events = POLLIN}, {.fd = sfd, .events = POLLIN}};
    int status = 0;
    for (;;) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (fds[0].fd >= 0 && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) {
            if (!pump(out[0])) fds[0].fd = -1; /* every writer closed: stop polling it */
        }
        if (fds[1].revents & POLLIN) {
            struct signalfd_siginfo si;
            if (read(sfd, &si, sizeof si) != sizeof si) continue;
            if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT) {
                kill(child, (int)si.ssi_signo);
                continue;
            }
            pid_t r;
            while ((r = waitpid(-1, &status, WNOHANG)) > 0 && r != child) {}
            if (r == child) break;
        }
    }
    pump(out[0]); /* drain what the monitor wrote; never wait for descendants holding the pipe */
    write_exit(status);
    return 0;
}
