#!/bin/sh
# The SELinux outputs against the real tools.  Every example, every
# golden case and every policy in tests/validate/selinux/ is compiled with
# -t selinux,cil; then for each module:
#   - `make -f /usr/share/selinux/devel/Makefile NAME.pp` builds it, and
#     m4 ran nothing it was not meant to (hostile.pol plants esyscmd);
#   - selint, with the reference policy's sources as context, reports no
#     error;
# and all .pp files, and separately all .cil files, are linked in one
# `semodule -n -p` call each into a private copy of the host's policy
# store that also holds refpolicy's container module (mkstore.sh; the
# host store is only read).  check-policy.py then asks the linked
# policies, through setools, for exact capabilities, exact port types,
# the absence of dangerous permissions, permissive domains and file
# contexts, against what `cpolc --dump` says the source declares.
#
# The store is cached in $CPOLC_SELINUX_STORE (default: the build tree's
# tests/validate/selinux-store under make check, else
# $TMPDIR/cpolc-selinux-store); the first run takes a few seconds more.

: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$srcdir/tests/lib.sh"

here=$srcdir/tests/validate/selinux
# semodule, selabel_lookup and friends live in /usr/sbin, which a user's
# PATH may lack.
PATH=$PATH:/usr/sbin:/sbin
export PATH
devel=/usr/share/selinux/devel/Makefile
py=/usr/bin/python3

missing=
for tool in make m4 checkmodule semodule_package semodule selint \
	selabel_lookup; do
	command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
[ -f "$devel" ] || missing="$missing $devel"
"$py" -c 'import setools' 2>/dev/null || missing="$missing python3-setools"
if [ -n "$missing" ]; then
	skip "SELinux tools missing:$missing"
	finish
fi
if ! "$CPOLC" --help 2>/dev/null | grep -q '^  selinux '; then
	skip "$CPOLC has no selinux target"
	finish
fi

store=${CPOLC_SELINUX_STORE:-}
if [ -z "$store" ] && [ -n "${top_builddir:-}" ]; then
	store=$top_builddir/tests/validate/selinux-store
fi
[ -n "$store" ] || store=${TMPDIR:-/tmp}/cpolc-selinux-store
sh "$here/mkstore.sh" "$store"
rc=$?
if [ "$rc" -eq 77 ]; then
	skip "no policy store to link against"
	finish
elif [ "$rc" -ne 0 ]; then
	fail "mkstore.sh $store (status $rc)"
	finish
fi
pass "policy store with the container module at $store"

# Compile every source into its own directory, twice, and sort the
# sources into link batches: a batch holds each module name once (the
# examples and the golden cases share some names).
# same_rules DIR BATCH NAME: the outputs NAME.* in DIR and in batch
# directory BATCH differ at most in comments.
same_rules() {
	for ext in te if fc; do
		grep -v '^#' "$1/$3.$ext" >"$scratch/a"
		grep -v '^#' "$2/pp/$3.$ext" >"$scratch/b"
		cmp -s "$scratch/a" "$scratch/b" || return 1
	done
	grep -v '^;;' "$1/$3.cil" >"$scratch/a"
	grep -v '^;;' "$2/cil/$3.cil" >"$scratch/b"
	cmp -s "$scratch/a" "$scratch/b"
}

out=$scratch/out
mkdir -p "$out"
i=0
nsrc=0
same=0
for f in "$srcdir"/examples/*.pol "$srcdir"/tests/golden/*.pol \
	"$here"/*.pol; do
	[ -f "$f" ] || continue
	i=$((i + 1))
	d=$out/src$i
	if ! "$CPOLC" -q -t selinux,cil "$f" -o "$d" 2>"$scratch/err"; then
		fail "compile $f"
		cat "$scratch/err"
		continue
	fi
	"$CPOLC" -q -t selinux,cil "$f" -o "$d.again" 2>/dev/null
	if diff -r "$d" "$d.again" >/dev/null 2>&1; then
		same=$((same + 1))
	else
		fail "$f: two runs gave different outputs"
	fi
	rm -rf "$d.again"
	ls "$d"/*.te >/dev/null 2>&1 || continue # templates only
	nsrc=$((nsrc + 1))
	# A module that a batch already holds with the same rules (only the
	# header comments differ) needs no second link.
	b=1
	while :; do
		clash=false
		for te in "$d"/*.te; do
			n=$(basename "$te" .te)
			[ -e "$out/batch$b/names/$n" ] || continue
			same_rules "$d" "$out/batch$b" "$n" || clash=true
		done
		$clash || break
		b=$((b + 1))
	done
	mkdir -p "$out/batch$b/names" "$out/batch$b/pp" "$out/batch$b/cil"
	for te in "$d"/*.te; do
		n=$(basename "$te" .te)
		[ -e "$out/batch$b/names/$n" ] && continue
		: >"$out/batch$b/names/$n"
		cp "$d/$n.cil" "$out/batch$b/cil/"
		cp "$d/$n.te" "$d/$n.if" "$d/$n.fc" "$out/batch$b/pp/"
	done
	"$CPOLC" --dump "$f" >>"$out/batch$b/dump" 2>/dev/null ||
		fail "cpolc --dump $f"
done
check "deterministic outputs for $same sources" [ "$same" -eq "$i" ]

# Build and lint each refpolicy module in a directory of its own.
for dir in "$out"/batch*/pp; do
	for te in "$dir"/*.te; do
		n=$(basename "$te" .te)
		m=$dir/build-$n
		mkdir -p "$m"
		cp "$dir/$n.te" "$dir/$n.if" "$dir/$n.fc" "$m/"
		if (cd "$m" && make -s -f "$devel" "$n.pp") >"$m/log" 2>&1
		then
			pass "$n.pp builds"
			cp "$m/$n.pp" "$dir/"
		else
			fail "$n.pp builds"
			cat "$m/log"
		fi
		pwned=false
		[ -e "$m/PWNED" ] || [ -e PWNED ] && pwned=true
		check "$n: m4 expanded nothing from the source" \
			[ "$pwned" = false ]
		if (cd "$m" && selint --context="$store/.refpolicy" -l E -F \
			"$n.te" "$n.if" "$n.fc") >"$m/selint" 2>&1; then
			pass "$n: selint reports no errors"
		else
			fail "$n: selint reports errors"
			grep -v '^Note:' "$m/selint"
		fi
	done
done

# A negative control, linked with the first batch: quiet-app's module
# with the container module's container_domain attribute added must fail
# the capability check (that attribute grants dac_override, kill, setgid,
# setuid, sys_boot and sys_chroot to every member).
ctl=$out/batch1/control
q=$out/batch1/pp/quiet-app
if [ -f "$q.te" ]; then
	mkdir -p "$ctl"
	for ext in te if fc; do
		sed -e 's/quiet_app/cpolc_ctl/g' -e 's/quiet-app/cpolc-ctl/g' \
			"$q.$ext" >"$ctl/cpolc-ctl.$ext"
	done
	attr='typeattribute cpolc_ctl_t'
	sed -i -e 's/^\tattribute domain;$/&\n\tattribute container_domain;/' \
		-e "s/^$attr domain;\$/&\\n$attr container_domain;/" \
		"$ctl/cpolc-ctl.te"
	if (cd "$ctl" && make -s -f "$devel" cpolc-ctl.pp) >"$ctl/log" 2>&1
	then
		cp "$ctl/cpolc-ctl.pp" "$out/batch1/pp/"
		printf 'policy cpolc-ctl {\n\tmode complain;\n}\n' >"$ctl/dump"
	else
		fail "negative control: cpolc-ctl.pp builds"
		cat "$ctl/log"
	fi
fi

# semodule prints "libsemanage.add_user: user sddm not in password file"
# for the host's users: only the status matters.
link() { # link STORE LOG FILE...
	st=$1
	log=$2
	shift 2
	rm -rf "$st"
	cp -a "$store" "$st" && semodule -n -p "$st" -i "$@" >"$log" 2>&1
}

for bdir in "$out"/batch*; do
	b=$(basename "$bdir")
	link "$scratch/st-pp-$b" "$bdir/pp.log" "$bdir"/pp/*.pp &
	pp_pid=$!
	link "$scratch/st-cil-$b" "$bdir/cil.log" "$bdir"/cil/*.cil
	cil_rc=$?
	wait "$pp_pid"
	pp_rc=$?
	for kind in pp cil; do
		rc=$pp_rc
		[ "$kind" = cil ] && rc=$cil_rc
		if [ "$rc" -eq 0 ]; then
			pass "$b: every .$kind links into the store"
		else
			fail "$b: every .$kind links into the store"
			cat "$bdir/$kind.log"
		fi
	done
	for kind in pp cil; do
		st=$scratch/st-$kind-$b
		pol=$(ls "$st"/etc/selinux/*/policy/policy.* 2>/dev/null |
			head -n 1)
		fc=$(ls "$st"/etc/selinux/*/contexts/files/file_contexts \
			2>/dev/null | head -n 1)
		[ -n "$pol" ] || continue
		table=
		[ "$kind.$b" = pp.batch1 ] &&
			table=$srcdir/src/backends/selinux_ports.c
		"$py" "$here/check-policy.py" "$kind" "$pol" "$fc" \
			"$bdir/dump" $table >"$bdir/check-$kind" 2>&1 &
	done
	wait
	for kind in pp cil; do
		[ -f "$bdir/check-$kind" ] || continue
		while IFS= read -r line; do
			case $line in
			PASS:*) pass "${line#PASS: }" ;;
			FAIL:*) fail "${line#FAIL: }" ;;
			*) echo "$line" ;;
			esac
		done <"$bdir/check-$kind"
	done
	if [ -f "$bdir/control/dump" ]; then
		st=$scratch/st-pp-$b
		pol=$(ls "$st"/etc/selinux/*/policy/policy.* | head -n 1)
		fc=$(ls "$st"/etc/selinux/*/contexts/files/file_contexts |
			head -n 1)
		if "$py" "$here/check-policy.py" ctl "$pol" "$fc" \
			"$bdir/control/dump" >"$bdir/control/check" 2>&1; then
			fail "negative control: container_domain went unnoticed"
		else
			check "negative control: container_domain's capabilities caught" \
				grep -q '^FAIL: ctl cpolc-ctl: capability is exactly' \
				"$bdir/control/check"
		fi
	fi
	rm -rf "$scratch/st-pp-$b" "$scratch/st-cil-$b"
done
check "modules from $nsrc sources checked" [ "$nsrc" -gt 0 ]

# A policy name that m4 would expand is refused, and nothing is written.
if "$CPOLC" -q -t selinux "$here/m4-name.bad" -o "$scratch/bad" \
	2>"$scratch/bad.err"; then
	fail "m4-name.bad: accepted"
else
	check "m4-name.bad: refused with a message" \
		grep -q "m4 would expand 'dnl'" "$scratch/bad.err"
	check "m4-name.bad: no output" [ ! -e "$scratch/bad/app-dnl.te" ]
fi

finish
