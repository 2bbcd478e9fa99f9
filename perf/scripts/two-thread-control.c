/*
 * What this machine gives two threads when nothing is shared between them: the ceiling for the pattern-stage scaling
 * ratio (perf/RESULTS.md, issue 5). Each mode runs its work on one thread pinned to CPU 0, then twice the work on two
 * threads pinned to CPUs 0 and 1, and prints 2 x (time of one) / (time of two): 2.00 is perfect scaling.
 *   chain:  one dependent multiply-xorshift chain (latency-bound arithmetic)
 *   wide:   eight independent chains (throughput-bound arithmetic)
 *   stream: reads one byte per 64-byte line over 64 MiB, ten passes, each thread its own buffer (memory bandwidth)
 * Build and run:  gcc -O2 -pthread -o /tmp/ctl perf/scripts/two-thread-control.c && /tmp/ctl
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { CHAIN, WIDE, STREAM };
static const char *names[] = { "chain", "wide", "stream" };
static int mode;
static char *buffers[2];
static const size_t buffer_bytes = 64u << 20;
static volatile uint64_t sink;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void *work(void *arg)
{
    long cpu = (long)arg;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);
    uint64_t r = 0;
    if (mode == CHAIN) {
        uint64_t y = cpu + 1;
        for (long i = 0; i < 400000000; i++) { y = y * 6364136223846793005ULL + 1442695040888963407ULL; y ^= y >> 17; }
        r = y;
    } else if (mode == WIDE) {
        uint64_t a1 = 1, a2 = 2, a3 = 3, a4 = 4, a5 = 5, a6 = 6, a7 = 7, a8 = 8;
        for (long i = 0; i < 200000000; i++) {
            a1 = a1 * 3 + i; a2 = a2 * 5 + i; a3 = a3 * 7 + i; a4 = a4 * 9 + i;
            a5 += a1 ^ i; a6 += a2 ^ i; a7 += a3 ^ a5; a8 += a4 ^ a6;
        }
        r = a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8;
    } else {
        const char *b = buffers[cpu];
        for (int pass = 0; pass < 10; pass++)
            for (size_t i = 0; i < buffer_bytes; i += 64) r += (unsigned char)b[i];
    }
    sink = r;
    return NULL;
}

int main(void)
{
    for (int i = 0; i < 2; i++) {
        buffers[i] = aligned_alloc(64, buffer_bytes);
        if (!buffers[i]) return 1;
        memset(buffers[i], 1, buffer_bytes);
    }
    for (mode = CHAIN; mode <= STREAM; mode++) {
        for (int round = 0; round < 4; round++) {
            double t0 = now();
            work((void *)0);
            double one = now() - t0;
            pthread_t a, b;
            t0 = now();
            pthread_create(&a, NULL, work, (void *)0);
            pthread_create(&b, NULL, work, (void *)1);
            pthread_join(a, NULL);
            pthread_join(b, NULL);
            double two = now() - t0;
            printf("%-6s 1 thread %.3f s, 2 threads (twice the work) %.3f s, ratio %.2f\n", names[mode], one, two, 2 * one / two);
        }
    }
    return 0;
}
