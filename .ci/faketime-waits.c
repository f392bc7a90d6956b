/* For CI's night-time runs only (.ci/run preloads it before libfaketime).
 *
 * libfaketime 0.9.10 fakes the monotonic clock too (keeping it real is worse: Python 3.11's
 * time.sleep() then fails with EINVAL and Qt's timed waits return at once), but it does not know
 * sem_clockwait() or pthread_cond_clockwait(): a deadline read from the faked clock goes to the
 * kernel unchanged, so every lock or event wait with a timeout in Python 3.11
 * (threading.Event().wait(0.5)) sleeps for decades. Here such deadlines are moved onto the real
 * clock first; nothing else is touched.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <semaphore.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define NS 1000000000LL

/* The deadline on the kernel's clock: libfaketime's reading minus the kernel's is the fake
 * offset (constant while the fake clock runs at the real rate). */
static struct timespec real_deadline(clockid_t clock, const struct timespec *fake_deadline) {
    struct timespec fake_now, real_now;
    clock_gettime(clock, &fake_now);                 /* through libfaketime */
    syscall(SYS_clock_gettime, clock, &real_now);    /* straight from the kernel */
    long long offset = (fake_now.tv_sec - real_now.tv_sec) * NS
                       + (fake_now.tv_nsec - real_now.tv_nsec);
    long long ns = fake_deadline->tv_sec * NS + fake_deadline->tv_nsec - offset;
    if (ns < 0) {
        ns = 0;  /* already past: the wait times out at once, as it should */
    }
    struct timespec real = {ns / NS, ns % NS};
    return real;
}

static int faked(clockid_t clock) {
    return clock == CLOCK_REALTIME || clock == CLOCK_MONOTONIC;
}

int sem_clockwait(sem_t *sem, clockid_t clock, const struct timespec *deadline) {
    static int (*next)(sem_t *, clockid_t, const struct timespec *);
    if (next == NULL) {
        next = (int (*)(sem_t *, clockid_t, const struct timespec *))
            dlsym(RTLD_NEXT, "sem_clockwait");
    }
    if (faked(clock)) {
        struct timespec real = real_deadline(clock, deadline);
        return next(sem, clock, &real);
    }
    return next(sem, clock, deadline);
}

int pthread_cond_clockwait(pthread_cond_t *cond, pthread_mutex_t *mutex, clockid_t clock,
                           const struct timespec *deadline) {
    static int (*next)(pthread_cond_t *, pthread_mutex_t *, clockid_t,
                       const struct timespec *);
    if (next == NULL) {
        next = (int (*)(pthread_cond_t *, pthread_mutex_t *, clockid_t,
                        const struct timespec *))dlsym(RTLD_NEXT, "pthread_cond_clockwait");
    }
    if (faked(clock)) {
        struct timespec real = real_deadline(clock, deadline);
        return next(cond, mutex, clock, &real);
    }
    return next(cond, mutex, clock, deadline);
}
