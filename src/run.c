/*
 * One compile run.  The front end hands over each policy as soon as it
 * is resolved (compile.h); the targets are emitted and the outputs put
 * in their temporaries by worker threads when there is more than one
 * policy; each policy's results (messages, temporaries, --up-to-date
 * lines) are taken back in the order the policies came.  So messages,
 * the renames and what -v prints are the same however many threads
 * ran, and memory holds a few policies at a time, not the whole run.
 */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpolc/backend.h"
#include "cpolc/util.h"
#include "dump.h"
#include "emit.h"
#include "run.h"

/* The default's cap: past this many threads the writer's renames and
 * the front end, which stay on one, are all that is left.  An explicit
 * -j is taken as given (main.c allows 1 to CP_MAX_THREADS). */
#define DEFAULT_MAX_JOBS 16

/* One policy on its way through the targets. */
struct job {
	struct cp_policy p;
	struct cp_diags diags;
	char **names;		/* outputs put */
	unsigned long *serials; /* and their temporaries */
	size_t nout, names_cap, serials_cap;
	struct cp_buf report; /* --up-to-date lines */
	long problems;
	bool emit_failed; /* a target recorded an error */
	bool io_failed;	  /* a temporary could not be written (printed) */
	bool done;
	struct job *next_free;
};

struct run {
	const struct cp_run_opts *o;
	struct cp_diags *diags;
	bool emitting;
	struct cp_writer w;
	bool writer_open;
	bool io_failed;
	bool failed_before;	 /* a policy taken back had an error */
	unsigned backend_errors; /* of d->nerrors, those the targets made */
	struct cp_seen notes;	 /* fidelity notes taken back, each once */
	struct cp_buf dump;
	size_t ndumped;
	struct cp_emit inline_emit; /* for the policies run on this thread */
	/* The work queue: jobs head..tail-1 are in flight, in a ring. */
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	struct job **ring;
	size_t ring_cap, head, tail, next_work;
	bool closing;
	unsigned jobs; /* threads wanted, this one included */
	bool threads_tried;
	pthread_t *threads;
	unsigned nthreads;
	atomic_bool stop; /* after an error: write nothing more */
	struct job *held; /* the first policy, until a second one comes */
	/*
	 * Jobs merged, for a worker to free.  This thread copies what it
	 * keeps of a job and frees none of it: freed here, the workers'
	 * small blocks would be handed out again by this thread's malloc
	 * cache for strings kept to the end, each pinning a page of a
	 * worker's heap (10,000 policies: 25 MB more).
	 */
	struct job *to_free;
};

static unsigned
jobs_wanted(const struct cp_run_opts *o)
{
	long n;

	if (o->jobs > 0)
		return o->jobs > CP_MAX_THREADS ? CP_MAX_THREADS : o->jobs;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		n = 1;
	return n > DEFAULT_MAX_JOBS ? DEFAULT_MAX_JOBS : (unsigned)n;
}

/* Run the targets over one policy and put its outputs; any thread. */
static void
do_job(struct run *r, struct cp_emit *e, struct job *j)
{
	const struct cp_run_opts *o = r->o;

	e->diags = &j->diags;
	cp_seen_clear(&e->seen);
	for (size_t k = 0; cp_backends[k] != NULL; k++)
		if (o->targets[k] && !cp_emit_run(e, cp_backends[k], &j->p))
			j->emit_failed = true;
	/* After an error nothing will be written: stop writing.  Lines
	 * of --up-to-date are still made (they only read), so that which
	 * ones are printed does not depend on which thread ran first. */
	if (j->emit_failed)
		atomic_store(&r->stop, true);
	for (size_t i = 0; i < e->n && (r->w.compare || !atomic_load(&r->stop));
	     i++) {
		unsigned long serial;

		if (!cp_writer_put(&r->w, &e->outs[i], &serial, &j->report,
				   &j->problems)) {
			j->io_failed = true;
			atomic_store(&r->stop, true);
			break;
		}
		cp_xgrow(&j->names, &j->names_cap, j->nout + 1,
			 sizeof(*j->names));
		cp_xgrow(&j->serials, &j->serials_cap, j->nout + 1,
			 sizeof(*j->serials));
		j->names[j->nout] = e->outs[i].name;
		e->outs[i].name = NULL;
		j->serials[j->nout++] = serial;
	}
	cp_emit_clear(e);
}

/* A fidelity note said already, by an earlier policy, is not repeated. */
static bool
keep_note(const struct cp_diag *it, void *arg)
{
	struct run *r = arg;

	return !it->verbose_only || !cp_seen_add(&r->notes, &it->loc, it->msg);
}

static void
job_free(struct job *j)
{
	for (size_t i = 0; i < j->nout; i++)
		free(j->names[i]);
	cp_diags_free(&j->diags);
	cp_buf_free(&j->report);
	free(j->names);
	free(j->serials);
	free(j);
}

static void
jobs_free(struct job *j)
{
	while (j != NULL) {
		struct job *next = j->next_free;

		job_free(j);
		j = next;
	}
}

/* Take one job's results back, in policy order; this thread only. */
static void
merge(struct run *r, struct job *j)
{
	unsigned before = r->diags->nerrors;

	cp_diags_take(r->diags, &j->diags, keep_note, r);
	r->backend_errors += r->diags->nerrors - before;
	for (size_t i = 0; i < j->nout; i++)
		cp_writer_keep(&r->w, j->names[i], j->serials[i]);
	/* What a one-thread run prints: nothing from the first policy
	 * that failed on. */
	if (j->emit_failed || j->io_failed)
		r->failed_before = true;
	if (j->report.len > 0 && !r->failed_before)
		fwrite(j->report.data, 1, j->report.len, stdout);
	if (!r->failed_before)
		r->w.problems += j->problems;
	if (j->io_failed) {
		r->io_failed = true;
		r->w.ok = false;
	}
	/* The policy is this thread's: freed here, in its own heap. */
	cp_policy_free_fields(&j->p);
	if (r->nthreads == 0) {
		job_free(j);
		return;
	}
	pthread_mutex_lock(&r->mu);
	j->next_free = r->to_free;
	r->to_free = j;
	pthread_mutex_unlock(&r->mu);
}

static void *
worker(void *arg)
{
	struct run *r = arg;
	struct cp_emit e;

	cp_emit_init(&e, NULL);
	pthread_mutex_lock(&r->mu);
	for (;;) {
		struct job *j, *garbage;

		while (r->next_work == r->tail && !r->closing)
			pthread_cond_wait(&r->work, &r->mu);
		if (r->next_work == r->tail)
			break;
		j = r->ring[r->next_work++ % r->ring_cap];
		garbage = r->to_free;
		r->to_free = NULL;
		pthread_mutex_unlock(&r->mu);
		jobs_free(garbage);
		do_job(r, &e, j);
		pthread_mutex_lock(&r->mu);
		j->done = true;
		pthread_cond_signal(&r->done);
	}
	pthread_mutex_unlock(&r->mu);
	cp_emit_free(&e);
	return NULL;
}

/*
 * Merge what is done at the head of the queue until no more than
 * keep_at_most jobs are left in flight.  Rather than wait for the
 * workers, this thread runs a job nobody has started yet: it has
 * nothing better to do, and a wait costs two system calls.  Called
 * with the lock held; merging and running are done without it.
 */
static void
drain(struct run *r, size_t keep_at_most)
{
	for (;;) {
		while (r->head < r->tail &&
		       r->ring[r->head % r->ring_cap]->done) {
			struct job *j = r->ring[r->head++ % r->ring_cap];

			pthread_mutex_unlock(&r->mu);
			merge(r, j);
			pthread_mutex_lock(&r->mu);
		}
		if (r->tail - r->head <= keep_at_most)
			return;
		if (r->next_work < r->tail) {
			struct job *j = r->ring[r->next_work++ % r->ring_cap];

			pthread_mutex_unlock(&r->mu);
			do_job(r, &r->inline_emit, j);
			pthread_mutex_lock(&r->mu);
			j->done = true;
			continue;
		}
		pthread_cond_wait(&r->done, &r->mu);
	}
}

static void
enqueue(struct run *r, struct job *j)
{
	pthread_mutex_lock(&r->mu);
	drain(r, r->ring_cap - 1);
	r->ring[r->tail++ % r->ring_cap] = j;
	pthread_cond_signal(&r->work);
	pthread_mutex_unlock(&r->mu);
}

/* Start the workers; false when the system will not give threads. */
static bool
start_threads(struct run *r, unsigned n)
{
	r->ring_cap = 4 * ((size_t)n + 1);
	r->ring = cp_xcalloc(r->ring_cap, sizeof(*r->ring));
	r->threads = cp_xcalloc(n, sizeof(*r->threads));
	for (unsigned i = 0; i < n; i++) {
		if (pthread_create(&r->threads[i], NULL, worker, r) != 0)
			break;
		r->nthreads++;
	}
	if (r->nthreads == 0) {
		free(r->threads);
		free(r->ring);
		r->threads = NULL;
		r->ring = NULL;
	}
	return r->nthreads > 0;
}

static bool
front_failed(const struct run *r)
{
	return r->diags->nerrors > r->backend_errors || r->diags->truncated;
}

static bool
open_writer(struct run *r)
{
	const struct cp_run_opts *o = r->o;

	if (r->writer_open)
		return true;
	r->writer_open = true;
	if (!cp_writer_open(&r->w, o->outdir ? o->outdir : ".", o->up_to_date,
			    stdout))
		r->io_failed = true;
	return !r->io_failed;
}

static void
take(struct cp_policy *p, void *arg)
{
	struct run *r = arg;
	struct job *j;

	if (r->o->dump) {
		if (r->ndumped++ > 0)
			cp_buf_putc(&r->dump, '\n');
		cp_dump_policy(&r->dump, p);
	}
	/* After an error in a policy nothing will be written: the rest
	 * only need the front end's checks. */
	if (!r->emitting || front_failed(r) || r->io_failed ||
	    !open_writer(r)) {
		cp_policy_free_fields(p);
		return;
	}
	j = cp_xcalloc(1, sizeof(*j));
	j->p = *p;
	cp_diags_init(&j->diags);
	j->diags.werror = r->diags->werror;
	j->diags.quiet_notes = r->diags->quiet_notes;
	/* One policy is not worth a thread: hold the first until a
	 * second shows that there is more than one.  This thread runs
	 * jobs too (see drain()): jobs - 1 more.  Threads are asked for
	 * once; without them everything runs here. */
	if (r->jobs > 1 && !r->threads_tried) {
		if (r->held == NULL) {
			r->held = j;
			return;
		}
		r->threads_tried = true;
		if (start_threads(r, r->jobs - 1)) {
			enqueue(r, r->held);
			r->held = NULL;
		}
	}
	if (r->nthreads == 0) {
		if (r->held != NULL) {
			do_job(r, &r->inline_emit, r->held);
			merge(r, r->held);
			r->held = NULL;
		}
		do_job(r, &r->inline_emit, j);
		merge(r, j);
		return;
	}
	enqueue(r, j);
}

/* Wait for every job and merge it; stop the workers. */
static void
finish_jobs(struct run *r)
{
	if (r->held != NULL) {
		do_job(r, &r->inline_emit, r->held);
		merge(r, r->held);
		r->held = NULL;
	}
	if (r->nthreads == 0)
		return;
	pthread_mutex_lock(&r->mu);
	r->closing = true;
	pthread_cond_broadcast(&r->work);
	drain(r, 0);
	pthread_mutex_unlock(&r->mu);
	for (unsigned i = 0; i < r->nthreads; i++)
		pthread_join(r->threads[i], NULL);
	jobs_free(r->to_free);
	r->to_free = NULL;
	free(r->threads);
	free(r->ring);
}

int
cp_run(const struct cp_run_opts *o, const char *const *files, size_t n,
       struct cp_sources *srcs, struct cp_diags *d)
{
	struct run r = {0};
	const struct cp_policy_sink sink = {take, &r};
	enum cp_compile_status st;
	int rc = 0;

	r.o = o;
	r.diags = d;
	r.jobs = jobs_wanted(o);
	r.emitting = !o->check && (!o->dump || o->outdir != NULL);
	cp_emit_init(&r.inline_emit, d);
	atomic_init(&r.stop, false);
	pthread_mutex_init(&r.mu, NULL);
	pthread_cond_init(&r.work, NULL);
	pthread_cond_init(&r.done, NULL);
	st = cp_compile_files_to(files, n, srcs, d, &sink, r.jobs);
	finish_jobs(&r);
	if (st == CP_COMPILE_OK && o->dump && r.dump.len > 0)
		fwrite(r.dump.data, 1, r.dump.len, stdout);
	if (st == CP_COMPILE_OK && r.emitting) {
		if (!open_writer(&r) || r.io_failed) {
			rc = 2;
		} else if (cp_diags_failed(d)) {
			st = CP_COMPILE_ERRORS;
		} else if (!cp_writer_commit(&r.w, o->verbose, stdout) ||
			   (o->depfile != NULL &&
			    !cp_write_depfile(o->depfile, &r.w, srcs))) {
			rc = 2;
		} else if (o->up_to_date) {
			rc = r.w.problems > 0;
		}
	}
	if (r.writer_open) {
		/* Whatever the reason, a run that did not commit leaves the
		 * directory as it was. */
		if (rc != 0 && !o->up_to_date)
			r.w.ok = false;
		if (st != CP_COMPILE_OK)
			r.w.ok = false;
		cp_writer_close(&r.w);
	}
	if (st != CP_COMPILE_OK)
		rc = st == CP_COMPILE_IO ? 2 : 1;
	pthread_cond_destroy(&r.done);
	pthread_cond_destroy(&r.work);
	pthread_mutex_destroy(&r.mu);
	cp_seen_free(&r.notes);
	cp_buf_free(&r.dump);
	cp_emit_free(&r.inline_emit);
	return rc;
}
