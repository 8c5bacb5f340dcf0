# shellcheck shell=bash
# Shared helpers for the end-to-end scripts; source it, do not run it.
# Every script prints what it does, and "SKIP: reason" with exit 77 when
# the host cannot run the test (automake's skip code).

e2e_lib=$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")" && pwd)
e2e_dir=$(dirname "$e2e_lib")
e2e_top=$(cd "$e2e_dir/../.." && pwd)

# Kernel, base initramfs and probe are cached here between runs.
E2E_CACHE=${CPOLC_E2E_CACHE:-${TMPDIR:-/tmp}/cpolc-e2e-cache}

e2e_say() { printf '%s: %s\n' "${0##*/}" "$*"; }
e2e_skip() { printf 'SKIP: %s\n' "$*"; exit 77; }
e2e_die() { printf '%s: error: %s\n' "${0##*/}" "$*" >&2; exit 99; }

# e2e_need CMD...: skip unless every command exists.
e2e_need() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 ||
			e2e_skip "$c is not installed"
	done
}

# e2e_scratch: a scratch directory removed on exit; sets $scratch.
e2e_scratch() {
	scratch=$(mktemp -d "${TMPDIR:-/tmp}/cpolc-e2e.XXXXXX")
	trap 'rm -rf "$scratch"' EXIT
}

# e2e_probe: build the static probe (lib/cpolc-probe.c) into the cache if
# it is missing or older than its source; prints its path.
e2e_probe() {
	local src="$e2e_lib/cpolc-probe.c" out="$E2E_CACHE/probe/cpolc-probe"
	if [ ! -x "$out" ] || [ "$src" -nt "$out" ]; then
		mkdir -p "$E2E_CACHE/probe"
		${CC:-cc} -std=c11 -O2 -Wall -static -o "$out.$$" "$src" \
			>&2 || return 1
		mv "$out.$$" "$out"
	fi
	printf '%s\n' "$out"
}

# e2e_spec_value SPEC KEY: the value of a "KEY VALUE" line of SPEC.
e2e_spec_value() {
	sed 's/#.*//' "$1" | awk -v k="$2" '$1 == k { print $2; exit }'
}

# e2e_spec_name SPEC: the name the probe reports the spec under.
e2e_spec_name() {
	local n
	n=$(e2e_spec_value "$1" name)
	[ -n "$n" ] || n=$(basename "$1" .spec)
	case $n in
	''|*[!A-Za-z0-9._-]*) e2e_die "$1: spec name '$n' is not [A-Za-z0-9._-]+" ;;
	esac
	printf '%s\n' "$n"
}

# e2e_verify LOG LABEL_KEY SPEC...: check the guest log for every spec:
# the probe ran confined by the expected label (the spec's "profile" +
# " (enforce)" for LABEL_KEY=profile, its "context" for context), every
# allow/deny line reported @@OK and none @@FAIL. Prints PASS/FAIL lines;
# returns 0 when all passed.
e2e_verify() {
	local log=$1 key=$2 spec name want label nchk nok bad=0
	shift 2
	for spec in "$@"; do
		name=$(e2e_spec_name "$spec")
		want=$(e2e_spec_value "$spec" "$key")
		[ "$key" = profile ] && want="$want (enforce)"
		label=$(sed -n "s/^@@LABEL $name: //p" "$log" | head -n 1)
		if [ "$label" = "$want" ]; then
			echo "PASS: $name: confined as $label"
		else
			echo "FAIL: $name: label '${label:-none}', want '$want'"
			bad=1
		fi
		nchk=$(sed 's/#.*//' "$spec" | awk '$1 == "allow" || $1 == "deny"' |
			wc -l)
		nok=$(grep -c "^@@OK $name: " "$log" || true)
		grep "^@@OK $name: " "$log" | sed 's/^@@OK/PASS:/'
		if grep "^@@FAIL $name: " "$log" | sed 's/^@@FAIL/FAIL:/' |
			grep .; then
			bad=1
		fi
		if [ "$nok" -ne "$nchk" ]; then
			echo "FAIL: $name: $nok of $nchk checks passed"
			bad=1
		elif ! grep -q "^@@DONE $name checks=$nchk rc=0\$" "$log"; then
			echo "FAIL: $name: probe did not finish cleanly:" \
				"$(grep "^@@DONE $name " "$log" || echo no @@DONE)"
			bad=1
		fi
	done
	return $bad
}

# e2e_standin_verdict WHAT GOOD_PID LEAKY_PID: wait for the stand-in run
# (its output in $scratch/good) and for its negative control
# ($scratch/leaky), and judge them: the stand-in WHAT ("profile",
# "module") passes every check of data/standin.spec, and the control
# fails exactly the secret read, in both of the spec's runs.  Exits
# with the test's status.
e2e_standin_verdict() {
	local what=$1 grc=0 lrc=0 bad=0 got want
	wait "$2" || grc=$?
	wait "$3" || lrc=$?
	cat "$scratch/good"
	[ $grc -ne 77 ] || exit 77
	echo "--- negative control: the secret is readable"
	if grep -qE '^(PASS|FAIL|SKIP)' "$scratch/leaky"; then
		grep -E '^(PASS|FAIL|SKIP)' "$scratch/leaky" |
			sed 's/^/  control: /'
	else
		cat "$scratch/leaky"
	fi
	if [ $grc -eq 0 ]; then
		echo "PASS: stand-in $what enforced as the spec says"
	else
		echo "FAIL: stand-in $what (rc $grc)"
		bad=1
	fi
	got=$(grep '^FAIL: standin.*: deny' "$scratch/leaky" | LC_ALL=C sort |
		tr '\n' '|')
	want='FAIL: standin-runc: deny read /test/data/secret: succeeded|'
	want="${want}FAIL: standin: deny read /test/data/secret: succeeded|"
	if [ $lrc -eq 1 ] && [ "$got" = "$want" ]; then
		echo "PASS: negative control fails on the secret read, and" \
			"only there"
	else
		echo "FAIL: negative control (rc $lrc, failed: ${got:-nothing})"
		bad=1
	fi
	exit $bad
}

# e2e_stage_specs KEY LINE DIR SPEC...: copy each spec into DIR/specs as
# NAME.spec, each required to hold a KEY line (LINE, as "profile NAME",
# names it in the error).  A spec's 'podman ARGS' file goes, unedited,
# to DIR/podman/NAME.args, and the spec's line points there; podman is
# set to yes when any spec runs podman, else to no.
e2e_stage_specs() {
	local key=$1 line=$2 t=$3 s n a
	shift 3
	podman=no
	for s in "$@"; do
		[ -n "$(e2e_spec_value "$s" "$key")" ] ||
			e2e_die "$s: no '$line' line"
		n=$(e2e_spec_name "$s")
		[ ! -e "$t/specs/$n.spec" ] || e2e_die "two specs named $n"
		a=$(e2e_spec_value "$s" podman)
		if [ -n "$a" ]; then
			# the arguments file, relative to the spec
			case $a in /*) ;; *) a=$(dirname "$s")/$a ;; esac
			[ -r "$a" ] || e2e_die "$s: cannot read $a"
			mkdir -p "$t/podman"
			cp "$a" "$t/podman/$n.args"
			sed "s|^\([[:space:]]*podman[[:space:]]\).*|\1/test/podman/$n.args|" \
				"$s" > "$t/specs/$n.spec"
			podman=yes
		else
			cp "$s" "$t/specs/$n.spec"
		fi
	done
}
