/* Tracepoint output in the ftrace text format (kernel/trace/trace_output.c): one line per event,
 *   "           mmlab-1       [000] .....     0.001234: mm_page_alloc: page=..." */
#include <stdarg.h>
#include <string.h>

#include <mmlab/machine.h>
#include <mmlab/trace.h>

const char *const trace_event_names[NR_TRACE_EVENTS] = {
#define TRACE_NAME(name) #name,
	MMLAB_TRACE_EVENTS(TRACE_NAME)
#undef TRACE_NAME
};

int trace_event_by_name(const char *name, size_t len)
{
	for (int i = 0; i < NR_TRACE_EVENTS; i++)
		if (strlen(trace_event_names[i]) == len && !memcmp(trace_event_names[i], name, len))
			return i;
	return -1;
}

const char *trace_call_site(const struct machine *m)
{
	return m->current_site ? m->current_site : "(kernel)";
}

void trace_emit(struct machine *m, enum trace_event_id id, const char *fmt, ...)
{
	FILE *out = m->trace.out;
	va_list ap;

	if (!out)
		return;
	/* comm right-aligned in 16, pid left-aligned in 7, the CPU, the irq/preempt flags, the time. */
	fprintf(out, "%16s-%-7d [%03d] ..... %5lu.%06lu: %s: ", m->trace.comm, m->trace.pid, m->this_cpu,
		(unsigned long)(m->now_ns / 1000000000), (unsigned long)(m->now_ns / 1000 % 1000000),
		trace_event_names[id]);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
}
