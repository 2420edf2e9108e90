/*
 * orchide-shim: parents one monitor process so that it outlives the agent.
 *
 *   orchide-shim --run-dir DIR --console FILE --log-max BYTES -- CMD ARGS...
 *   orchide-shim --spawner
 *
 * Runs CMD in DIR with stdin on /dev/null and stdout+stderr on a pipe, copies that
 * output into a bounded console ring (FILE and FILE.1, each at most BYTES/2), writes
 * DIR/pid once CMD is exec'd (shim and monitor pids, the monitor's start time, and execat: the
 * wall-clock microsecond of the exec) and DIR/exit once it has ended, both atomically.
 * Prints "ready <monitor-pid>" on its own stdout after the exec, then detaches from it.
 *
 * With --spawner it is the agent's long-lived launcher instead: it reads requests on stdin and forks one shim
 * per request, which runs as above without an exec of its own (forking this small process and spawning the
 * monitor with vfork semantics is what makes a start cheap; the JVM's own spawn goes through a helper exec).
 * Every request is a frame: a 4-byte big-endian length, then NUL-terminated fields:
 *   ID, DIR, FILE, BYTES, N, N environment entries KEY=VALUE, CMD, ARGS...
 * Every answer on stdout is one line written with one write() of at most PIPE_BUF bytes, so the lines of the
 * spawner and of its shims never interleave:
 *   ID spawned SHIM-PID     the spawner forked the shim of request ID (before any "exited" of it, but not
 *                           always before the shim's own line)
 *   ID failed MESSAGE       the spawner could not (bad request, fork failed)
 *   ID ready MONITOR-PID    the shim of request ID saw its monitor exec'd (then it closes its stdout)
 *   ID failed MESSAGE       the shim could not exec the monitor (MESSAGE is also in the console)
 *   exited SHIM-PID CODE SIGNAL   a shim ended (reaped by the spawner while it lives)
 * The spawner exits at the end of its stdin (the agent has gone); its shims and their monitors go on, adopted by
 * init or the nearest subreaper, as directly started shims do.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
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

extern char **environ;

static const char *run_dir, *console_path;
static char console_old[4096];
static long long half_max;
static int held = -1;             /* write end the first process waits on */
static const char *tag;           /* the request ID that prefixes every line of a spawned shim, or NULL */
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

/* Writes DIR/name atomically: DIR/name.tmp, fsync when durable, rename. */
static int write_atomic(const char *name, const char *text, int durable) {
    char tmp[4096], dst[4096];
    snprintf(dst, sizeof dst, "%s/%s", run_dir, name);
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp", run_dir, name);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return -1;
    if (write_all(fd, text, strlen(text)) < 0 || (durable && fsync(fd) < 0)) {
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
    if (write_atomic("exit", text, 1) < 0) {
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

/* One status line on stdout, prefixed with the tag, in a single write: whole even on a pipe other shims share. */
static void say(const char *fmt, ...) {
    char buf[PIPE_BUF];
    int n = tag ? snprintf(buf, sizeof buf, "%s ", tag) : 0;
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(buf + n, sizeof buf - (size_t)n - 1, fmt, ap);
    va_end(ap);
    n += m < 0 ? 0 : m;
    if (n > (int)sizeof buf - 2) n = (int)sizeof buf - 2;
    while (n > 0 && buf[n - 1] == '\n') n--;
    for (int i = 0; i < n; i++) if (buf[i] == '\n') buf[i] = ' ';
    buf[n++] = '\n';
    write_all(STDOUT_FILENO, buf, (size_t)n);
}

static void usage(void) {
    fprintf(stderr, "usage: orchide-shim --run-dir DIR --console FILE --log-max BYTES -- CMD ARGS...\n"
                    "       orchide-shim --spawner\n");
    exit(2);
}

/*
 * Parents CMD until it ends: run_dir, console_path and half_max are set, stdout is where the status line goes
 * (the agent's pipe), stderr the console. Returns the shim's exit status.
 */
static int supervise(char **cmd) {
    setsid();
    signal(SIGHUP, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (devnull < 0) die("open /dev/null");
    dup2(devnull, STDIN_FILENO);
    /* The shim works in DIR and the monitor inherits it; it also names the shim's run to whoever finds a shim
     * without its arguments (a spawned shim keeps the spawner's). */
    int dir_err = chdir(run_dir) == 0 ? 0 : errno;

    int out[2];
    if (pipe2(out, O_CLOEXEC) < 0) die("pipe");
    sigset_t mask, none;
    sigemptyset(&none);
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    int sfd = signalfd(-1, &mask, SFD_CLOEXEC);
    if (sfd < 0) die("signalfd");
    console_open();
    if (console_fd < 0) die(console_path);

    /* posix_spawn clones with vfork semantics: the shim resumes once the monitor is exec'd (or could not be),
     * with the exec's errno as the result, and no close-on-exec pipe or scheduling of a forked copy between. */
    pid_t child = -1;
    int err = dir_err;
    if (!err) {
        posix_spawn_file_actions_t fa;
        posix_spawnattr_t attr;
        sigset_t dfl;
        sigemptyset(&dfl);
        sigaddset(&dfl, SIGHUP);
        sigaddset(&dfl, SIGPIPE);
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
        posix_spawn_file_actions_adddup2(&fa, out[1], STDERR_FILENO);
        posix_spawnattr_init(&attr);
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
        posix_spawnattr_setsigmask(&attr, &none);
        posix_spawnattr_setsigdefault(&attr, &dfl);
        err = posix_spawnp(&child, cmd[0], &fa, &attr, cmd, environ);
        posix_spawn_file_actions_destroy(&fa);
        posix_spawnattr_destroy(&attr);
    }
    struct timespec exec_at;
    clock_gettime(CLOCK_REALTIME, &exec_at);
    close(out[1]);
    if (err) {
        char msg[4200];
        if (dir_err) snprintf(msg, sizeof msg, "orchide-shim: cannot enter %s: %s\n", run_dir, strerror(err));
        else snprintf(msg, sizeof msg, "orchide-shim: cannot exec %s: %s\n", cmd[0], strerror(err));
        console_write(msg, strlen(msg));
        write_exit(127 << 8); /* as the exit status of a child that could not exec */
        say("failed %s", msg + 14);
        return 127;
    }

    /* Not fsync'd: the pid file names processes that a power loss ends anyway, and an agent that finds it
     * missing or stale after a reboot reaches the same verdict (the monitor is gone); the rename keeps it whole. */
    char text[256];
    snprintf(text, sizeof text, "shim=%d\nmonitor=%d\nstarttime=%llu\nexecat=%lld\n", (int)getpid(), (int)child,
             start_time(child), (long long)exec_at.tv_sec * 1000000LL + exec_at.tv_nsec / 1000);
    if (write_atomic("pid", text, 0) < 0) {
        const char *msg = "orchide-shim: cannot write pid file\n";
        console_write(msg, strlen(msg));
    }
    say("ready %d", (int)child);
    if (held >= 0) close(held);
    dup2(devnull, STDOUT_FILENO); /* holds no pipe of the agent's any more: it sees the end of the spawner's */
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

static int read_full(int fd, void *buf, size_t n) {
    char *p = buf;
    while (n > 0) {
        ssize_t r = read(fd, p, n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

/* Forks the shim of one request frame (see the top of this file); the child never returns. */
static void spawn_one(char *frame, size_t len, int sfd) {
    enum { MAX_FIELDS = 4096 };
    static char *f[MAX_FIELDS + 1];
    size_t nf = 0;
    for (size_t at = 0; at < len && nf < MAX_FIELDS; nf++) {
        f[nf] = frame + at;
        at += strnlen(frame + at, len - at) + 1;
    }
    const char *id = nf > 0 ? f[0] : "?";
    tag = NULL;
    long long max = nf > 3 ? atoll(f[3]) : 0;
    long nenv = nf > 4 ? atol(f[4]) : -1;
    if (nf < 6 || nenv < 0 || (size_t)nenv + 6 > nf || max < 2 || frame[len - 1] != '\0') {
        char line[256];
        int n = snprintf(line, sizeof line, "%.64s failed bad request (%zu fields)\n", id, nf);
        write_all(STDOUT_FILENO, line, (size_t)n);
        return;
    }
    f[nf] = NULL;
    pid_t pid = fork();
    if (pid == 0) {
        close(sfd);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        tag = id;
        run_dir = f[1];
        console_path = f[2];
        half_max = max / 2;
        snprintf(console_old, sizeof console_old, "%s.1", console_path);
        /* The shim's own errors go to the console, as when the agent starts it with stderr there. */
        int c = open(console_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (c >= 0) {
            dup2(c, STDERR_FILENO);
            close(c);
        }
        for (long e = 0; e < nenv; e++) putenv(f[5 + e]);
        _exit(supervise(f + 5 + nenv));
    }
    char line[256];
    int n = pid < 0 ? snprintf(line, sizeof line, "%.64s failed cannot fork: %s\n", id, strerror(errno))
                    : snprintf(line, sizeof line, "%.64s spawned %d\n", id, (int)pid);
    write_all(STDOUT_FILENO, line, (size_t)n);
}

/* The agent's launcher: one request at a time from stdin, answers and reaped shims on stdout. */
static int spawner(void) {
    signal(SIGPIPE, SIG_IGN); /* an agent that went away is seen as the end of stdin */
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    int sfd = signalfd(-1, &mask, SFD_CLOEXEC);
    if (sfd < 0) die("signalfd");
    struct pollfd fds[2] = {{.fd = STDIN_FILENO, .events = POLLIN}, {.fd = sfd, .events = POLLIN}};
    for (;;) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            die("poll");
        }
        if (fds[1].revents & POLLIN) {
            struct signalfd_siginfo si;
            if (read(sfd, &si, sizeof si) == sizeof si) {
                int status;
                pid_t r;
                while ((r = waitpid(-1, &status, WNOHANG)) > 0) {
                    char line[96];
                    int n = snprintf(line, sizeof line, "exited %d %d %d\n", (int)r,
                                     WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                                     WIFSIGNALED(status) ? WTERMSIG(status) : 0);
                    write_all(STDOUT_FILENO, line, (size_t)n);
                }
            }
        }
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            uint32_t be;
            if (read_full(STDIN_FILENO, &be, sizeof be) < 0) return 0; /* the agent has gone */
            size_t len = ntohl(be);
            if (len == 0 || len > (1u << 20)) {
                fprintf(stderr, "orchide-shim: bad request frame length %zu\n", len);
                return 2;
            }
            char *frame = malloc(len);
            if (!frame) die("malloc");
            if (read_full(STDIN_FILENO, frame, len) < 0) return 0;
            spawn_one(frame, len, sfd);
            free(frame);
        }
    }
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "--spawner") == 0) {
        if (chdir("/") < 0) die("chdir /"); /* never in a run directory: only its shims are */
        return spawner();
    }
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
    return supervise(argv + i);
}
