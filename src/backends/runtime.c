/* The spellings the docker and compose targets share. */
#include "config.h"

#include "cpolc/text.h"
#include "runtime.h"

void
cp_rt_tmpfs(struct cp_buf *b, const struct cp_mount *m)
{
	char size[32];

	cp_buf_printf(b, "%s:rw,%snosuid,nodev", m->target,
		      m->noexec ? "noexec," : "");
	if (m->size) {
		cp_text_size_lower(size, m->size);
		cp_buf_printf(b, ",size=%s", size);
	}
	/* Docker's own default, written out: podman would give the tmpfs
	 * the mode of the directory it covers. */
	cp_buf_printf(b, ",mode=%o", m->mode >= 0 ? (unsigned)m->mode : 01777u);
}

static void
range(struct cp_buf *b, unsigned first, unsigned last)
{
	if (first == last)
		cp_buf_printf(b, "%u", first);
	else
		cp_buf_printf(b, "%u-%u", first, last);
}

void
cp_rt_publish(struct cp_buf *b, const struct cp_publish *pub)
{
	if (pub->family == CP_ADDR_INET)
		cp_buf_printf(b, "%s:", pub->addr);
	else if (pub->family == CP_ADDR_INET6)
		cp_buf_printf(b, "[%s]:", pub->addr);
	range(b, pub->host_first, pub->host_last);
	cp_buf_putc(b, ':');
	range(b, pub->ctr_first, pub->ctr_last);
	cp_buf_puts(b, pub->proto == CP_PROTO_TCP ? "/tcp" : "/udp");
}
