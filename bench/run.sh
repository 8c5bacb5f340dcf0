#!/bin/bash
# run.sh: the benchmark (see bench/README.md).  Generates the synthetic
# repositories with bench/gen.py, compiles each to every target RUNS
# times (default 5), and prints one table: median wall time, the spread
# (min-max) and the peak RSS of the largest process (/usr/bin/time %M).
# Inputs and outputs live on a tmpfs (/dev/shm) so that the disk's
# speed is not what is measured.  Then: one typical policy including
# process start (hyperfine if present, else a loop), callgrind
# instruction counts (repeatable on a loaded machine), and
# apparmor_parser's compile time for cpolc's profiles beside a profile
# equivalent to Docker's default.
#
# Environment: CPOLC (the compiler), RUNS, BENCH_SIZES (default
# "1 100 1000 10000"), BENCH_RULES ("1000 10000 100000"), BENCH_QUICK=1
# to leave out callgrind and apparmor_parser.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
CPOLC=${CPOLC:-$top/src/cpolc}
RUNS=${RUNS:-5}
sizes=${BENCH_SIZES:-1 100 1000 10000}
rules=${BENCH_RULES:-1000 10000 100000}
PATH=$PATH:/usr/sbin:/sbin

[ -x "$CPOLC" ] || { echo "bench: no compiler at $CPOLC" >&2; exit 1; }
[ -x /usr/bin/time ] ||
	{ echo "bench: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }
case $CPOLC in /*) ;; *) CPOLC=$PWD/$CPOLC ;; esac
shm=/dev/shm
[ -d "$shm" ] && [ -w "$shm" ] || shm=${TMPDIR:-/tmp}
work=$(mktemp -d "$shm/cpolc-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
in=$work/in
out=$work/out
/usr/bin/python3 "$here/gen.py" "$in"

echo "cpolc benchmark: $("$CPOLC" --version), $(nproc) cores," \
	"$(sed -n 's/^model name[[:blank:]]*: //p' /proc/cpuinfo | head -1)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg);" \
	"files on $(df -P "$work" | awk 'NR == 2 { print $1 }') ($shm)"
echo

# median: the middle of the numbers on stdin
median() { sort -n | awk '{ v[NR] = $1 } END {
	if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# measure LABEL DIR COMMAND [new]: RUNS timed runs of COMMAND (a shell
# line run in DIR, writing into $out, which exists and is empty, or with
# "new" does not exist yet); prints one table row.
measure() {
	label=$1
	dir=$2
	cmd=$3
	: > "$work/times"
	for _ in $(seq "$RUNS"); do
		rm -rf "$out"
		[ "${4:-}" = new ] || mkdir -p "$out"
		t0=$(date +%s%N)
		(cd "$dir" && /usr/bin/time -f '%M' -o "$work/t" \
			sh -c "$cmd" > /dev/null)
		t1=$(date +%s%N)
		echo "$(((t1 - t0) / 1000)) $(tail -n 1 "$work/t")" |
			awk '{ printf "%.4f %s\n", $1 / 1e6, $2 }' >> "$work/times"
	done
	med=$(cut -d' ' -f1 "$work/times" | median)
	lo=$(cut -d' ' -f1 "$work/times" | sort -n | head -1)
	hi=$(cut -d' ' -f1 "$work/times" | sort -n | tail -1)
	rss=$(cut -d' ' -f2 "$work/times" | sort -n | tail -1)
	nout=$(find "$out" -type f | wc -l)
	printf '| %-37s | %8.4f | %15s | %8.1f | %7d |\n' "$label" "$med" \
		"$lo-$hi" "$(echo "$rss" | awk '{ print $1 / 1024 }')" "$nout"
}

echo "| case (all targets)                    | median s | min-max s       | peak MiB | outputs |"
echo "|---------------------------------------|----------|-----------------|----------|---------|"
# Each size: one thread; the default (a thread per CPU) into a new
# directory and into an existing one; two processes of one thread each.
for n in $sizes; do
	r=$in/repo-$n
	measure "$n policies, -j 1" "$r" \
		"'$CPOLC' -j 1 -o '$out' policies/*.pol"
	if [ "$n" -gt 1 ]; then
		measure "$n policies, -j $(nproc), new dir" "$r" \
			"'$CPOLC' -o '$out' policies/*.pol" new
		measure "$n policies, -j $(nproc), existing dir" "$r" \
			"'$CPOLC' -o '$out' policies/*.pol"
		half=$(((n + 1) / 2))
		measure "$n policies, 2 processes -j 1" "$r" \
			"ls policies/*.pol | xargs -P 2 -n $half '$CPOLC' -j 1 -o '$out'"
	fi
done
for k in $rules; do
	measure "1 policy of $k rules" "$in" "'$CPOLC' -o '$out' rules-$k.pol"
done
echo

# One typical policy (examples/web.pol with its base.pol), process start
# included.
ex=$top/examples
echo "One typical policy (examples/web.pol + base.pol), all targets," \
	"process start included:"
if command -v hyperfine > /dev/null 2>&1; then
	hyperfine -N --warmup 20 --runs 300 --style basic \
		--export-json "$work/hf.json" \
		"$CPOLC -o $out $ex/web.pol" 2>&1 | sed -n '/Time/,/Range/p'
else
	start=$(date +%s%N)
	for _ in $(seq 300); do "$CPOLC" -o "$out" "$ex/web.pol"; done
	end=$(date +%s%N)
	echo "  mean $(((end - start) / 300000)) us over 300 runs (a loop;" \
		"hyperfine not installed)"
fi
echo

[ "${BENCH_QUICK:-0}" = 1 ] && exit 0

if command -v valgrind > /dev/null 2>&1; then
	echo "Instructions (callgrind, Ir; repeatable under load):"
	# ir OUT COMMAND...: the instruction count of one run
	ir() {
		valgrind --tool=callgrind --callgrind-out-file="$work/cg" \
			"$@" > /dev/null 2> "$work/cg.err"
		sed -n 's/^summary: //p;s/^totals: //p' "$work/cg" | head -1
	}
	i_help=$(ir "$CPOLC" --version)
	printf '  %-44s %14s\n' "process start and exit (--version)" "$i_help"
	printf '  %-44s %14s\n' "examples/web.pol, all targets" \
		"$(ir "$CPOLC" -o "$out" "$ex/web.pol")"
	for t in apparmor selinux cil docker compose; do
		"$CPOLC" --help | grep -q "^  $t " || continue
		printf '  %-44s %14s\n' "examples/web.pol, -t $t" \
			"$(ir "$CPOLC" -t $t -o "$out" "$ex/web.pol")"
	done
	printf '  %-44s %14s\n' "examples/web.pol, --check" \
		"$(ir "$CPOLC" --check "$ex/web.pol")"
	i100=$(cd "$in/repo-100" && ir "$CPOLC" -j 1 -o "$out" policies/*.pol)
	printf '  %-44s %14s (%s per policy)\n' "repo-100, all targets, -j 1" "$i100" \
		"$(((i100 - i_help) / 100))"
	callgrind_annotate "$work/cg" 2> /dev/null |
		sed -n '/file:function/,$p' | sed -n '3,8p' |
		sed 's/^/    /' | cut -c1-110
	echo
fi

if command -v apparmor_parser > /dev/null 2>&1; then
	echo "apparmor_parser -QK --skip-cache compile time (median of" \
		"$((RUNS * 2)) runs) and size of the compiled policy:"
	aa() {
		: > "$work/aat"
		for _ in $(seq $((RUNS * 2))); do
			t0=$(date +%s%N)
			apparmor_parser -QK --skip-cache -o "$work/bin" "$1" \
				2> /dev/null
			t1=$(date +%s%N)
			echo $(((t1 - t0) / 1000)) >> "$work/aat"
		done
		printf '  %-44s %7s ms %8s bytes\n' "$2" \
			"$(median < "$work/aat" | awk '{ print $1 / 1000 }')" \
			"$(wc -c < "$work/bin")"
	}
	aa "$here/data/docker-default.apparmor" "docker-default (bench/data)"
	rm -rf "$out"
	"$CPOLC" -t apparmor -o "$out" "$ex"/*.pol > /dev/null
	for p in "$out"/*.apparmor; do
		aa "$p" "cpolc: examples -> $(basename "$p")"
	done
	"$CPOLC" -t apparmor -o "$out" "$in/repo-1/policies/svc00000.pol" \
		> /dev/null
	aa "$out/svc00000.apparmor" "cpolc: bench svc00000.apparmor"
fi
