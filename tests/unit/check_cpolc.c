/*
 * Unit tests with Check.  They link the real front end and assert on
 * the model it builds: merging, defaults, normalisation, the checks, and
 * the text helpers the backends rely on.
 */
#include "config.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/selinux_ports.h"
#include "compile.h"
#include "cpolc/buf.h"
#include "cpolc/tables.h"
#include "cpolc/text.h"
#include "cpolc/util.h"
#include "dump.h"
#include "emit.h"

#include <yaml.h>

/* One compilation of a policy text held in memory. */
struct run {
	struct cp_sources srcs;
	struct cp_diags diags;
	struct cp_policy_set set;
	enum cp_compile_status st;
};

static struct run *
compile(const char *text)
{
	struct run *r = cp_xcalloc(1, sizeof(*r));

	cp_diags_init(&r->diags);
	r->st = cp_compile_buffer("test.pol", text, strlen(text), &r->srcs,
				  &r->diags, &r->set);
	return r;
}

static void
run_free(struct run *r)
{
	cp_policy_set_free(&r->set);
	cp_diags_free(&r->diags);
	cp_sources_free(&r->srcs);
	free(r);
}

static const struct cp_policy *
policy(const struct run *r, const char *name)
{
	for (size_t i = 0; i < r->set.npolicies; i++)
		if (strcmp(r->set.policies[i].name, name) == 0)
			return &r->set.policies[i];
	ck_abort_msg("no policy %s", name);
	return NULL;
}

/* The number of errors a text gives, and the first message. */
static unsigned
errors(const char *text, char *first, size_t n)
{
	struct run *r = compile(text);
	unsigned e = r->diags.nerrors;

	if (first != NULL) {
		first[0] = '\0';
		for (size_t i = 0; i < r->diags.n; i++) {
			if (r->diags.items[i].sev == CP_SEV_ERROR) {
				snprintf(first, n, "%s", r->diags.items[i].msg);
				break;
			}
		}
	}
	ck_assert_int_eq(r->st, e ? CP_COMPILE_ERRORS : CP_COMPILE_OK);
	run_free(r);
	return e;
}

#define CAP(name) ((cp_capset)1 << cp_cap_lookup(name))

START_TEST(test_defaults)
{
	struct run *r = compile("policy empty {\n}\n");
	const struct cp_policy *p;

	ck_assert_int_eq(r->st, CP_COMPILE_OK);
	ck_assert_uint_eq(r->set.npolicies, 1);
	p = policy(r, "empty");
	ck_assert(p->caps == 0);
	ck_assert(!p->new_privileges && !p->writable_root && !p->host_network);
	ck_assert_int_eq(p->mode, CP_MODE_ENFORCE);
	ck_assert(!cp_policy_has_network(p));
	ck_assert(p->user == NULL && p->image == NULL);
	ck_assert(!p->memory.set && !p->pids.set && !p->cpus.set);
	ck_assert_uint_eq(p->nfiles + p->nmounts + p->npublishes, 0);
	ck_assert_uint_eq(p->loc.first_line, 1);
	ck_assert_uint_eq(p->loc.first_col, 8);
	run_free(r);
}
END_TEST

START_TEST(test_templates_produce_nothing)
{
	struct run *r = compile("template t {\n\tlimit pids 5;\n}\n");

	ck_assert_int_eq(r->st, CP_COMPILE_OK);
	ck_assert_uint_eq(r->set.npolicies, 0);
	run_free(r);
}
END_TEST

START_TEST(test_merge_order)
{
	/* base once, then left, then right, then the body. */
	struct run *r = compile("template base {\n"
				"\tlimit pids 1; limit memory 8M; user 1;\n"
				"\tcapabilities chown;\n}\n"
				"template left extends base {\n"
				"\tlimit pids 2; capabilities setuid;\n}\n"
				"template right extends base {\n"
				"\tlimit memory 16M; mode complain;\n}\n"
				"policy p extends left, right {\n"
				"\tuser 7:8;\n}\n");
	const struct cp_policy *p = policy(r, "p");

	ck_assert_int_eq(r->st, CP_COMPILE_OK);
	ck_assert_uint_eq(p->pids.value, 2);
	ck_assert_uint_eq(p->memory.value, 16u << 20);
	ck_assert_str_eq(p->user->user, "7");
	ck_assert_str_eq(p->user->group, "8");
	ck_assert_int_eq(p->mode, CP_MODE_COMPLAIN);
	ck_assert(p->caps == (CAP("chown") | CAP("setuid")));
	/* A capability keeps the location where it was first written. */
	ck_assert_uint_eq(p->cap_loc[cp_cap_lookup("chown")].first_line, 3);
	run_free(r);
}
END_TEST

START_TEST(test_later_parent_wins)
{
	struct run *r =
		compile("template a {\n\tlimit pids 1;\n}\n"
			"template b {\n\tlimit pids 2;\n}\n"
			"policy ab extends a, b {\n}\n"
			"policy ba extends b, a {\n}\n"
			"policy own extends a, b {\n\tlimit pids 3;\n}\n");

	ck_assert_uint_eq(policy(r, "ab")->pids.value, 2);
	ck_assert_uint_eq(policy(r, "ba")->pids.value, 1);
	ck_assert_uint_eq(policy(r, "own")->pids.value, 3);
	run_free(r);
}
END_TEST

START_TEST(test_mount_replaces_parent)
{
	struct run *r =
		compile("template t {\n"
			"\tmount tmpfs /tmp size 64M noexec;\n"
			"\tmount tmpfs /run;\n}\n"
			"policy p extends t {\n"
			"\tmount volume scratch at /tmp read-write;\n}\n");
	const struct cp_policy *p = policy(r, "p");

	ck_assert_int_eq(r->st, CP_COMPILE_OK);
	ck_assert_uint_eq(p->nmounts, 2);
	ck_assert_str_eq(p->mounts[0].target, "/run");
	ck_assert_str_eq(p->mounts[1].target, "/tmp");
	ck_assert_int_eq(p->mounts[1].kind, CP_MOUNT_VOLUME);
	ck_assert(!p->mounts[1].read_only && !p->mounts[1].noexec);
	ck_assert_uint_eq(p->mounts[1].loc.first_line, 6);
	run_free(r);
}
END_TEST

START_TEST(test_mount_defaults)
{
	struct run *r = compile("policy p {\n"
				"\tmount tmpfs /a/ size 2G mode 0750;\n"
				"\tmount volume vv at /b;\n"
				"\tmount bind /srv/x/ at /c read-write;\n}\n");
	const struct cp_policy *p = policy(r, "p");

	ck_assert_int_eq(r->st, CP_COMPILE_OK);
	ck_assert_str_eq(p->mounts[0].target, "/a");
	ck_assert_uint_eq(p->mounts[0].size, 2ull << 30);
	ck_assert_int_eq(p->mounts[0].mode, 0750);
	ck_assert(!p->mounts[0].read_only);
	ck_assert(p->mounts[1].read_only);
	ck_assert_str_eq(p->mounts[2].source, "/srv/x");
	ck_assert(!p->mounts[2].read_only);
	ck_assert_int_eq(p->mounts[1].mode, -1);
	run_free(r);
}
END_TEST

START_TEST(test_paths_normalised_sorted_unique)
{
	struct run *r = compile("policy p {\n"
				"\twrite //var//lib/./app/;\n"
				"\tread /b, /a, /b;\n"
				"\tdeny read /a;\n"
				"\tread /a/.;\n}\n");
	const struct cp_policy *p = policy(r, "p");

	ck_assert_int_eq(r->st, CP_COMPILE_OK);
	ck_assert_uint_eq(p->nfiles, 5);
	ck_assert_str_eq(p->files[0].path, "/a");
	ck_assert(!p->files[0].deny);
	ck_assert_str_eq(p->files[1].path, "/a");
	ck_assert(p->files[1].deny);
	ck_assert_str_eq(p->files[2].path, "/a/");
	ck_assert_str_eq(p->files[3].path, "/b");
	/* The duplicate /b keeps the first location. */
	ck_assert_uint_eq(p->files[3].loc.first_col, 7);
	ck_assert_str_eq(p->files[4].path, "/var/lib/app/");
	ck_assert_int_eq(p->files[4].access, CP_ACCESS_WRITE);
	run_free(r);
}
END_TEST

START_TEST(test_quoted_paths)
{
	struct run *r = compile(
		"policy p {\n"
		"\tread \"/a b\", \"/c\\\"d\", \"/e\\\\f\", /g{h,i};\n}\n");
	const struct cp_policy *p = policy(r, "p");

	ck_assert_int_eq(r->st, CP_COMPILE_OK);
	ck_assert_str_eq(p->files[0].path, "/a b");
	ck_assert_str_eq(p->files[1].path, "/c\"d");
	ck_assert_str_eq(p->files[2].path, "/e\\f");
	ck_assert_str_eq(p->files[3].path, "/g{h,i}");
	run_free(r);
}
END_TEST

START_TEST(test_ports)
{
	struct run *r = compile("policy p {\n\tnetwork n1;\n"
				"\tlisten tcp 443, 80, 8000-8100;\n"
				"\tlisten udp 53;\n\tconnect tcp 5432, 5432;\n"
				"\tpublish [2001:db8:0:0::1]:8080 -> 80;\n"
				"\tpublish 53 -> 53/udp;\n}\n");
	const struct cp_policy *p = policy(r, "p");

	ck_assert_int_eq(r->st, CP_COMPILE_OK);
	ck_assert_uint_eq(p->nlistens, 4);
	ck_assert_uint_eq(p->listens[0].first, 80);
	ck_assert_uint_eq(p->listens[2].first, 8000);
	ck_assert_uint_eq(p->listens[2].last, 8100);
	ck_assert_int_eq(p->listens[3].proto, CP_PROTO_UDP);
	ck_assert_uint_eq(p->nconnects, 1);
	ck_assert_uint_eq(p->npublishes, 2);
	ck_assert_int_eq(p->publishes[0].family, CP_ADDR_INET6);
	ck_assert_str_eq(p->publishes[0].addr, "2001:db8::1");
	ck_assert_int_eq(p->publishes[1].proto, CP_PROTO_UDP);
	ck_assert_int_eq(p->publishes[1].family, CP_ADDR_NONE);
	ck_assert(cp_policy_has_network(p));
	run_free(r);
}
END_TEST

START_TEST(test_numbers)
{
	struct run *r = compile("policy p {\n\tlimit memory 3G;\n"
				"\tlimit cpus 1.5;\n\tlimit pids 4194304;\n}\n"
				"policy q {\n\tlimit cpus 2;\n"
				"\tlimit memory 7340033;\n}\n");

	ck_assert_int_eq(r->st, CP_COMPILE_OK);
	ck_assert_uint_eq(policy(r, "p")->memory.value, 3ull << 30);
	ck_assert_uint_eq(policy(r, "p")->cpus.value, 1500000000u);
	ck_assert_uint_eq(policy(r, "p")->pids.value, 4194304u);
	ck_assert_uint_eq(policy(r, "q")->cpus.value, 2000000000u);
	ck_assert_uint_eq(policy(r, "q")->memory.value, 7340033u);
	run_free(r);
}
END_TEST

START_TEST(test_checks)
{
	char msg[256];

	ck_assert_uint_eq(
		errors("policy p { capabilities nope; }", msg, sizeof(msg)), 1);
	ck_assert_str_eq(msg, "unknown capability 'nope'");
	ck_assert_uint_eq(
		errors("policy p { capabilities sys_admn; }", msg, sizeof(msg)),
		1);
	ck_assert_str_eq(msg, "unknown capability 'sys_admn'; did you mean "
			      "'sys_admin'?");
	ck_assert_uint_eq(errors("policy p { listen tcp 65536; }", NULL, 0), 1);
	ck_assert_uint_eq(errors("policy p { limit pids 0; }", NULL, 0), 1);
	ck_assert_uint_eq(errors("policy p { limit memory "
				 "18446744073709551616; }",
				 NULL, 0),
			  1);
	ck_assert_uint_eq(
		errors("policy p { limit memory 17179869184G; }", NULL, 0), 1);
	ck_assert_uint_eq(errors("policy p { read /a/../b; }", NULL, 0), 1);
	ck_assert_uint_eq(errors("policy p { read \"/a\x01\"; }", NULL, 0), 1);
	ck_assert_uint_eq(
		errors("policy p { mount bind /run at /r; }", NULL, 0), 1);
	ck_assert_uint_eq(
		errors("policy p { unsafe mount bind /run at /r; }", NULL, 0),
		0);
	ck_assert_uint_eq(errors("policy p { network n1; publish 80 -> 80; }",
				 msg, sizeof(msg)),
			  1);
	ck_assert_str_eq(msg, "policy 'p' publishes 80/tcp, but nothing "
			      "listens on it; add 'listen tcp 80;'");
	ck_assert_uint_eq(errors("policy p extends q { }", NULL, 0), 1);
	ck_assert_uint_eq(errors("policy p { } policy p { }", NULL, 0), 1);
	ck_assert_uint_eq(errors("template a extends b { }\n"
				 "template b extends a { }\n",
				 msg, sizeof(msg)),
			  1);
	ck_assert_str_eq(msg, "'extends' cycle: a extends b extends a");
	ck_assert_uint_eq(errors("policy p { mount tmpfs /t; "
				 "mount tmpfs /t; }",
				 NULL, 0),
			  1);
	ck_assert_uint_eq(errors("include \"x.pol\";", msg, sizeof(msg)), 1);
}
END_TEST

START_TEST(test_dump_round_trip)
{
	const char *text =
		"template t {\n\tmount tmpfs /tmp size 64M;\n}\n"
		"policy p extends t {\n\tuser a:b;\n"
		"\tread \"/x y\", /z{1,2};\n\tnetwork n1;\n"
		"\tlisten tcp 80;\n"
		"\tpublish [::1]:8080 -> 80;\n\tlimit cpus 0.5;\n}\n";
	struct run *r = compile(text), *r2;
	struct cp_buf a = CP_BUF_INIT, b = CP_BUF_INIT;

	ck_assert_int_eq(r->st, CP_COMPILE_OK);
	cp_dump_policy(&a, policy(r, "p"));
	r2 = compile(a.data);
	ck_assert_int_eq(r2->st, CP_COMPILE_OK);
	cp_dump_policy(&b, policy(r2, "p"));
	ck_assert_str_eq(a.data, b.data);
	cp_buf_free(&a);
	cp_buf_free(&b);
	run_free(r);
	run_free(r2);
}
END_TEST

START_TEST(test_hash)
{
	/* The digest follows meaning, not layout or comments. */
	struct run *a = compile("policy p {\n\tlimit pids 5;\n}\n");
	struct run *b = compile("# a comment\npolicy   p{limit pids 5;}");
	struct run *c = compile("policy p {\n\tlimit pids 6;\n}\n");
	struct run *d = compile("template t { limit pids 5; }\n"
				"policy p extends t { }\n");

	ck_assert_str_eq(policy(a, "p")->source_sha256,
			 policy(b, "p")->source_sha256);
	ck_assert_str_eq(policy(a, "p")->source_sha256,
			 policy(d, "p")->source_sha256);
	ck_assert_str_ne(policy(a, "p")->source_sha256,
			 policy(c, "p")->source_sha256);
	ck_assert_uint_eq(strlen(policy(a, "p")->source_sha256), 64);
	run_free(a);
	run_free(b);
	run_free(c);
	run_free(d);
}
END_TEST

START_TEST(test_sha256_vectors)
{
	struct cp_sha256 c;
	char hex[65];

	cp_sha256_init(&c);
	cp_sha256_hex(&c, hex);
	ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb924"
			      "27ae41e4649b934ca495991b7852b855");
	cp_sha256_init(&c);
	cp_sha256_update(&c, "abc", 3);
	cp_sha256_hex(&c, hex);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223"
			      "b00361a396177a9cb410ff61f20015ad");
	cp_sha256_init(&c);
	cp_sha256_update(&c,
			 "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomno"
			 "pnopq",
			 56);
	cp_sha256_hex(&c, hex);
	ck_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039"
			      "a33ce45964ff2167f6ecedd419db06c1");
}
END_TEST

/* The hand-made conversions of cp_buf_printf against vsnprintf. */
static void fmt_same(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static void
fmt_same(const char *fmt, ...)
{
	struct cp_buf b = CP_BUF_INIT;
	char want[512];
	va_list ap;

	cp_buf_puts(&b, "<");
	va_start(ap, fmt);
	vsnprintf(want, sizeof(want), fmt, ap);
	va_end(ap);
	va_start(ap, fmt);
	cp_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	ck_assert_str_eq(b.data + 1, want);
	ck_assert_uint_eq(b.len, strlen(want) + 1);
	cp_buf_free(&b);
}

START_TEST(test_buf_printf)
{
	char *s;

	fmt_same("plain text");
	fmt_same("%s", "");
	fmt_same("a%sb%sc", "x", "yz");
	fmt_same("%d %d %d", 0, -1, -2147483647 - 1);
	fmt_same("%u %u", 0u, 4294967295u);
	fmt_same("%lu %llu %zu", 1234567890ul, 18446744073709551615ull,
		 (size_t)42);
	fmt_same("%c%c%%%s", 'a', '%', "!");
	fmt_same("%.*s|%.*s|%.*s", 3, "abcdef", 0, "abc", -1, "all");
	fmt_same("%.*s", 10, "short");
	/* Past the fast path: the rest goes to vsnprintf, arguments in
	 * order. */
	fmt_same("%s %04x %s %u", "pre", 0xbeefu, "post", 7u);
	fmt_same("%-10s|%u", "left", 3u);
	fmt_same("%u %0*llu", 1u, 9, 5ull);
	s = cp_xasprintf("%s-%u", "name", 12u);
	ck_assert_str_eq(s, "name-12");
	free(s);
	s = cp_xasprintf("%s", "");
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

START_TEST(test_text_helpers)
{
	static const char *const names[] = {"docker", "apparmor", "selinux"};
	char out[32];
	size_t bad;

	ck_assert(cp_utf8_valid("caf\xc3\xa9", 5, &bad));
	ck_assert(!cp_utf8_valid("caf\xe9", 4, &bad));
	ck_assert_uint_eq(bad, 3);
	ck_assert(!cp_utf8_valid("\xc0\xaf", 2, &bad));	    /* overlong */
	ck_assert(!cp_utf8_valid("\xed\xa0\x80", 3, &bad)); /* surrogate */
	ck_assert_uint_eq(cp_utf8_count("caf\xc3\xa9", 5), 4);
	ck_assert(cp_has_control("a\tb"));
	ck_assert(cp_has_control("a\xc2\x85"));
	ck_assert(!cp_has_control("caf\xc3\xa9"));
	ck_assert_str_eq(cp_text_nearest("dokcer", names, 3), "docker");
	ck_assert_ptr_null(cp_text_nearest("zzz", names, 3));
	cp_text_size(out, 256u << 20);
	ck_assert_str_eq(out, "256M");
	cp_text_size(out, 1536);
	ck_assert_str_eq(out, "1536");
	cp_text_size_lower(out, 2ull << 30);
	ck_assert_str_eq(out, "2g");
	cp_text_nanos(out, 1500000000u);
	ck_assert_str_eq(out, "1.5");
	cp_text_nanos(out, 10000000u);
	ck_assert_str_eq(out, "0.01");
	cp_text_nanos(out, 3000000000u);
	ck_assert_str_eq(out, "3");
	{
		struct cp_buf b = CP_BUF_INIT;

		cp_json_str(&b, "a\"b\\c\n\x7f\xc3\xa9");
		cp_json_str(&b, NULL);
		ck_assert_str_eq(b.data,
				 "\"a\\\"b\\\\c\\u000a\\u007f\xc3\xa9\"\"\"");
		cp_buf_free(&b);
	}
}
END_TEST

START_TEST(test_caps_table)
{
	ck_assert_int_eq(cp_cap_lookup("chown"), 0);
	ck_assert_int_eq(cp_cap_lookup("cap_net_bind_service"), 10);
	ck_assert_int_eq(cp_cap_lookup("checkpoint_restore"), 40);
	ck_assert_int_eq(cp_cap_lookup("CHOWN"), -1);
	ck_assert_str_eq(cp_cap_name(21), "sys_admin");
	ck_assert_ptr_null(cp_cap_name(41));
	ck_assert_str_eq(cp_cap_suggest("net_bindservice"), "net_bind_service");
}
END_TEST

START_TEST(test_ident)
{
	struct run *r = compile("policy my-web-app {\n}\n");
	char *id = cp_policy_ident(policy(r, "my-web-app"));

	ck_assert_str_eq(id, "my_web_app");
	free(id);
	run_free(r);
}
END_TEST

/* ---- compose: the YAML read back with libyaml matches the model ---- */

extern const struct cp_backend cp_backend_compose;

static yaml_node_t *
yaml_get(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
	ck_assert_int_eq(map->type, YAML_MAPPING_NODE);
	for (yaml_node_pair_t *pr = map->data.mapping.pairs.start;
	     pr < map->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(doc, pr->key);

		if (k->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)k->data.scalar.value, key) == 0)
			return yaml_document_get_node(doc, pr->value);
	}
	return NULL;
}

static const char *
yaml_str(yaml_node_t *n)
{
	ck_assert_ptr_nonnull(n);
	ck_assert_int_eq(n->type, YAML_SCALAR_NODE);
	return (const char *)n->data.scalar.value;
}

static yaml_node_t *
yaml_item(yaml_document_t *doc, yaml_node_t *seq, size_t i)
{
	ck_assert_ptr_nonnull(seq);
	ck_assert_int_eq(seq->type, YAML_SEQUENCE_NODE);
	ck_assert_uint_lt(i, (size_t)(seq->data.sequence.items.top -
				      seq->data.sequence.items.start));
	return yaml_document_get_node(doc, seq->data.sequence.items.start[i]);
}

static size_t
yaml_len(yaml_node_t *seq)
{
	ck_assert_int_eq(seq->type, YAML_SEQUENCE_NODE);
	return (size_t)(seq->data.sequence.items.top -
			seq->data.sequence.items.start);
}

START_TEST(test_compose_reads_back)
{
	/* Paths a hand-written YAML template would get wrong. */
	const char *text =
		"policy odd-one {\n\timage \"registry.example.com/a/b:1\";\n"
		"\tuser 1000:1000;\n\tcapabilities net_raw, chown;\n"
		"\tmount bind \"/srv/with space/#x \\\\q' \xc3\xa9\" "
		"at /data read-write;\n"
		"\tmount volume yes at \"/v/' - x&!\";\n"
		"\tmount tmpfs /tmp size 1M noexec mode 1777;\n"
		"\tnetwork on;\n\tlisten udp 53;\n"
		"\tpublish [::1]:5353 -> 53/udp;\n\tlimit pids 9;\n}\n";
	struct run *r = compile(text);
	const struct cp_policy *p;
	struct cp_emit e;
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root, *svc, *vols;

	ck_assert_int_eq(r->st, CP_COMPILE_OK);
	p = policy(r, "odd-one");
	cp_emit_init(&e, &r->diags);
	ck_assert(cp_emit_run(&e, &cp_backend_compose, p));
	ck_assert_uint_eq(e.n, 1);
	ck_assert_str_eq(e.outs[0].name, "odd-one.compose.yaml");
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser,
				     (const unsigned char *)e.outs[0].text.data,
				     e.outs[0].text.len);
	ck_assert(yaml_parser_load(&parser, &doc));
	root = yaml_document_get_root_node(&doc);
	svc = yaml_get(&doc, yaml_get(&doc, root, "services"), "odd-one");
	ck_assert_ptr_nonnull(svc);
	ck_assert_str_eq(yaml_str(yaml_get(&doc, svc, "image")),
			 "registry.example.com/a/b:1");
	ck_assert_str_eq(yaml_str(yaml_get(&doc, svc, "user")), "1000:1000");
	ck_assert_str_eq(yaml_str(yaml_get(&doc, svc, "read_only")), "true");
	ck_assert_str_eq(
		yaml_str(yaml_item(&doc, yaml_get(&doc, svc, "cap_drop"), 0)),
		"ALL");
	ck_assert_uint_eq(yaml_len(yaml_get(&doc, svc, "cap_add")), 2);
	ck_assert_str_eq(
		yaml_str(yaml_item(&doc, yaml_get(&doc, svc, "cap_add"), 0)),
		"CHOWN");
	ck_assert_str_eq(
		yaml_str(yaml_item(&doc, yaml_get(&doc, svc, "cap_add"), 1)),
		"NET_RAW");
	ck_assert_str_eq(
		yaml_str(yaml_item(&doc, yaml_get(&doc, svc, "tmpfs"), 0)),
		"/tmp:rw,noexec,nosuid,nodev,size=1m,mode=1777");
	vols = yaml_get(&doc, svc, "volumes");
	ck_assert_uint_eq(yaml_len(vols), 2);
	ck_assert_str_eq(
		yaml_str(yaml_get(&doc, yaml_item(&doc, vols, 0), "source")),
		p->mounts[0].source);
	ck_assert_str_eq(p->mounts[0].source,
			 "/srv/with space/#x \\q' \xc3\xa9");
	ck_assert_str_eq(
		yaml_str(yaml_get(&doc, yaml_item(&doc, vols, 0), "read_only")),
		"false");
	ck_assert_str_eq(
		yaml_str(yaml_get(&doc, yaml_item(&doc, vols, 1), "target")),
		"/v/' - x&!");
	ck_assert_str_eq(
		yaml_str(yaml_get(&doc, yaml_item(&doc, vols, 1), "source")),
		"yes");
	ck_assert_str_eq(
		yaml_str(yaml_item(&doc, yaml_get(&doc, svc, "networks"), 0)),
		"on");
	ck_assert_str_eq(
		yaml_str(yaml_item(&doc, yaml_get(&doc, svc, "ports"), 0)),
		"[::1]:5353:53/udp");
	ck_assert_str_eq(yaml_str(yaml_get(&doc, svc, "pids_limit")), "9");
	ck_assert_str_eq(
		yaml_str(yaml_get(
			&doc,
			yaml_get(&doc, yaml_get(&doc, root, "networks"), "on"),
			"external")),
		"true");
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	cp_emit_free(&e);
	run_free(r);
}
END_TEST

/* --- the SELinux port table --- */

/* The segment builder in selinux_ports.c needs this order and nesting. */
START_TEST(test_sel_port_table)
{
	for (size_t i = 1; i < cp_sel_nports; i++) {
		const struct cp_sel_port *a = &cp_sel_ports[i - 1];
		const struct cp_sel_port *b = &cp_sel_ports[i];

		ck_assert_msg(a->proto < b->proto || (a->proto == b->proto &&
						      (a->first < b->first ||
						       (a->first == b->first &&
							a->last < b->last))),
			      "entry %zu out of order", i);
	}
	for (size_t i = 0; i < cp_sel_nports; i++) {
		const struct cp_sel_port *a = &cp_sel_ports[i];

		ck_assert(a->first >= 1 && a->first <= a->last &&
			  a->last <= 65535);
		for (size_t j = i + 1; j < cp_sel_nports; j++) {
			const struct cp_sel_port *b = &cp_sel_ports[j];

			if (a->proto != b->proto || b->first > a->last)
				continue;
			/* b starts in a, so it ends in a too, or it
			 * starts where a does and holds it. */
			ck_assert_msg(
				b->last <= a->last || b->first == a->first,
				"%s %u-%u and %s %u-%u overlap", a->type,
				a->first, a->last, b->type, b->first, b->last);
		}
	}
}
END_TEST

/* The narrowest entry that holds each port, found the slow way. */
static void
sel_port_types(enum cp_proto proto, const char **types)
{
	unsigned width[65536];

	for (unsigned port = 0; port < 65536; port++) {
		types[port] = "unreserved_port_t";
		width[port] = 65536;
	}
	for (size_t i = 0; i < cp_sel_nports; i++) {
		const struct cp_sel_port *a = &cp_sel_ports[i];

		if (a->proto != proto)
			continue;
		for (unsigned port = a->first; port <= a->last; port++) {
			if (a->last - a->first < width[port]) {
				width[port] = a->last - a->first;
				types[port] = a->type;
			}
		}
	}
}

START_TEST(test_sel_port_type)
{
	static const char *types[65536];
	const enum cp_proto protos[] = {CP_PROTO_TCP, CP_PROTO_UDP};

	for (size_t k = 0; k < CP_ARRAY_LEN(protos); k++) {
		enum cp_proto proto = protos[k];
		unsigned next = 65536;

		sel_port_types(proto, types);
		ck_assert_str_eq(cp_sel_port_type(proto, 1), types[1]);
		for (unsigned port = 65535; port >= 1; port--) {
			ck_assert_str_eq(cp_sel_port_type(proto, port),
					 types[port]);
			ck_assert_uint_eq(cp_sel_port_next(proto, port), next);
			if (port > 1 && strcmp(types[port - 1], types[port]))
				next = port;
		}
	}
	ck_assert_str_eq(cp_sel_port_type(CP_PROTO_TCP, 80), "http_port_t");
	ck_assert_str_eq(cp_sel_port_type(CP_PROTO_UDP, 80), "reserved_port_t");
	ck_assert_str_eq(cp_sel_port_type(CP_PROTO_TCP, 600),
			 "hi_reserved_port_t");
	ck_assert_uint_eq(cp_sel_port_next(CP_PROTO_TCP, 63140), 63165);
}
END_TEST

/* cp_sel_port_others() the slow way: every port, one at a time. */
static void
sel_others_slow(struct cp_buf *b, const char **types, const char *type,
		const struct cp_sel_span *ex, size_t nex)
{
	unsigned run = 0;

	for (unsigned port = 1; port <= 65536; port++) {
		bool in = port <= 65535 && strcmp(types[port], type) == 0;

		for (size_t i = 0; in && i < nex; i++)
			if (port >= ex[i].first && port <= ex[i].last)
				in = false;
		if (in && !run)
			run = port;
		if (!in && run) {
			if (b->len)
				cp_buf_puts(b, ", ");
			if (run == port - 1)
				cp_buf_printf(b, "%u", run);
			else
				cp_buf_printf(b, "%u-%u", run, port - 1);
			run = 0;
		}
	}
}

START_TEST(test_sel_port_others)
{
	static const char *types[65536];
	static const char *const names[] = {
		"http_port_t",	      "unreserved_port_t", "reserved_port_t",
		"hi_reserved_port_t", "hplip_port_t",	   "inetd_child_port_t",
		"mysqld_port_t",      "dhcpd_port_t",	   "no_such_port_t",
	};
	static const struct cp_sel_span ex[][4] = {
		{{0, 0}},
		{{80, 80}},
		{{1, 65535}},
		{{1, 100}, {443, 443}, {8000, 9000}, {65000, 65535}},
		{{1024, 65535}},
		{{7, 9}, {513, 1023}, {9100, 9101}, {63140, 63150}},
	};
	static const size_t nex[] = {0, 1, 1, 4, 1, 4};
	const enum cp_proto protos[] = {CP_PROTO_TCP, CP_PROTO_UDP};

	for (size_t k = 0; k < CP_ARRAY_LEN(protos); k++) {
		sel_port_types(protos[k], types);
		for (size_t i = 0; i < CP_ARRAY_LEN(names); i++) {
			for (size_t j = 0; j < CP_ARRAY_LEN(ex); j++) {
				struct cp_buf want = CP_BUF_INIT;
				struct cp_buf got = CP_BUF_INIT;
				bool any;

				sel_others_slow(&want, types, names[i], ex[j],
						nex[j]);
				any = cp_sel_port_others(&got, protos[k],
							 names[i], ex[j],
							 nex[j]);
				ck_assert_str_eq(got.len ? got.data : "",
						 want.len ? want.data : "");
				ck_assert(any == (want.len > 0));
				ck_assert(cp_sel_port_others(NULL, protos[k],
							     names[i], ex[j],
							     nex[j]) == any);
				cp_buf_free(&want);
				cp_buf_free(&got);
			}
		}
	}
}
END_TEST

static Suite *
cpolc_suite(void)
{
	Suite *s = suite_create("cpolc");
	TCase *model = tcase_create("model");
	TCase *checks = tcase_create("checks");
	TCase *text = tcase_create("text");
	TCase *sel = tcase_create("selinux");

	tcase_add_test(model, test_defaults);
	tcase_add_test(model, test_templates_produce_nothing);
	tcase_add_test(model, test_merge_order);
	tcase_add_test(model, test_later_parent_wins);
	tcase_add_test(model, test_mount_replaces_parent);
	tcase_add_test(model, test_mount_defaults);
	tcase_add_test(model, test_paths_normalised_sorted_unique);
	tcase_add_test(model, test_quoted_paths);
	tcase_add_test(model, test_ports);
	tcase_add_test(model, test_numbers);
	tcase_add_test(model, test_dump_round_trip);
	tcase_add_test(model, test_hash);
	tcase_add_test(model, test_ident);
	tcase_add_test(model, test_compose_reads_back);
	tcase_add_test(checks, test_checks);
	tcase_add_test(text, test_sha256_vectors);
	tcase_add_test(text, test_text_helpers);
	tcase_add_test(text, test_buf_printf);
	tcase_add_test(text, test_caps_table);
	suite_add_tcase(s, model);
	suite_add_tcase(s, checks);
	tcase_add_test(sel, test_sel_port_table);
	tcase_add_test(sel, test_sel_port_type);
	tcase_add_test(sel, test_sel_port_others);
	suite_add_tcase(s, text);
	suite_add_tcase(s, sel);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(cpolc_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
