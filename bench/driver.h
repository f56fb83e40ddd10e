/* driver.h - one run of the suite, the same on the bare kernel (bench/main.c)
 * and in host mode (host/main.c): describe the machine, each chosen path's
 * NOP baseline, the self-tests, `repeat` ensembles, then the CSV rows and
 * trailer. Each side supplies only what differs: which paths and services
 * to time, and its self-tests. */
#ifndef RINGTRIP_DRIVER_H
#define RINGTRIP_DRIVER_H
#include "user.h"

struct bench_plan {
	/* path i of sh->path[] is to be timed */
	int (*chosen)(const struct rt_shared *sh, unsigned i);
	/* the services timed on path i, and how many */
	const struct bench_service *(*services)(const struct rt_shared *sh, unsigned i,
						unsigned *n);
	/* after the machine is described (a test hook may strike here), or NULL */
	void (*after_describe)(const struct rt_shared *sh);
	/* the self-tests, run after the baselines; returns how many failed */
	unsigned (*selftests)(const struct rt_shared *sh);
};

/* Installs path i (SVC_SELECT_PATH) and returns NULL, or says why it cannot
 * run: the status the platform published, or "install-failed". */
const char *bench_select(const struct rt_shared *sh, unsigned i);
/* Back to no path: on the bare kernel its own address space and gates
 * (nothing but a timed path runs while a shadow space is live). */
void bench_deselect(void);
/* The whole run; returns how many self-tests and rows failed. */
unsigned bench_drive(const struct rt_shared *sh, const struct bench_plan *plan);

#endif
