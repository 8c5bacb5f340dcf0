#!/bin/sh
# The command line: options, exit status, the all-or-nothing writer,
# and byte-identical output from run to run.
. "${srcdir:-.}/tests/lib.sh"

ex=$srcdir/examples
cd "$scratch" || exit 99
out=$scratch/out.txt
err=$scratch/err.txt

# expect NAME STATUS COMMAND...: the command exits with STATUS.
expect() {
	name=$1 want=$2
	shift 2
	"$@" > "$out" 2> "$err"
	rc=$?
	if [ "$rc" -eq "$want" ]; then
		pass "$name"
	else
		fail "$name: exit status $rc, want $want"
		cat "$err"
	fi
}

# has NAME FILE TEXT: FILE holds the line TEXT exactly.
has() {
	if grep -qxF -- "$3" "$2"; then pass "$1"; else
		fail "$1: no line '$3' in $2:"
		cat "$2"
	fi
}

expect version 0 "$CPOLC" --version
has version-text "$out" "cpolc 0.1.0"
expect jobs-zero 2 "$CPOLC" -j 0 --check "$ex/web.pol"
has jobs-zero-msg "$err" \
	"cpolc: -j takes a number of threads from 1 to 64: '0'"
has jobs-zero-hint "$err" "Try 'cpolc --help' for more information."
expect help 0 "$CPOLC" --help
has help-usage "$out" "Usage: cpolc [OPTION]... FILE... [-o DIR]"
has help-docker "$out" "  docker     docker run arguments, one a line (NAME.docker)"

expect no-files 2 "$CPOLC"
has no-files-msg "$err" "cpolc: no policy file given"
expect bad-option 2 "$CPOLC" --bogus "$ex/web.pol"
has bad-option-msg "$err" "cpolc: unknown option '--bogus'"
expect bad-werror 2 "$CPOLC" -Wall "$ex/web.pol"
expect missing-file 2 "$CPOLC" nope.pol -o o1
has missing-file-msg "$err" \
	"cpolc: cannot read 'nope.pol': No such file or directory"
check missing-file-writes-nothing test ! -e o1
expect read-dir 2 "$CPOLC" "$ex" -o o1
has read-dir-msg "$err" "cpolc: cannot read '$ex': Is a directory"
expect bad-target 2 "$CPOLC" -t dokcer "$ex/web.pol"
has bad-target-msg "$err" "cpolc: unknown target 'dokcer'; did you mean 'docker'?"
expect debug-scanner 0 "$CPOLC" --debug=scanner --check "$ex/base.pol"
check debug-scanner-trace grep -q "^--accepting rule" "$err"
expect debug-parser 0 "$CPOLC" --debug=parser --check "$ex/base.pol"
has debug-parser-trace "$err" "Starting parse"
expect debug-bad 2 "$CPOLC" --debug=lexer "$ex/base.pol"
has debug-bad-msg "$err" "cpolc: unknown --debug area (scanner, parser): 'lexer'"
expect check-with-o 2 "$CPOLC" --check -o o1 "$ex/web.pol"

# --check and --dump write nothing, not even into the current directory.
mkdir quiet && cd quiet || exit 99
expect check 0 "$CPOLC" --check "$ex/web.pol"
check check-writes-nothing test -z "$(ls -A)"
expect dump 0 "$CPOLC" --dump "$ex/web.pol"
has dump-policy "$out" "policy web {"
has dump-merged "$out" "	mount tmpfs /tmp size 64M noexec;"
check dump-writes-nothing test -z "$(ls -A)"
# Without -o the outputs go to the current directory.
expect default-dir 0 "$CPOLC" "$ex/web.pol"
check default-dir-output test -f web.docker
cd .. || exit 99

# -o creates the directory (and its parents); -v says what it wrote.
expect verbose 0 "$CPOLC" -v "$ex/web.pol" -o a/b/c
has verbose-wrote "$out" "wrote a/b/c/web.docker"
has verbose-fidelity "$err" \
	"$ex/web.pol:21:17: note: AppArmor 3 cannot filter ports: 'listen tcp 80' becomes 'network inet stream' and 'network inet6 stream', which allow every port, in and out"
check verbose-only-outputs test "$(ls -A a/b/c | tr '\n' ' ')" = \
	"web.apparmor web.cil web.compose.yaml web.docker web.fc web.if web.te "
expect targets 0 "$CPOLC" -t docker "$ex/web.pol" -o t1
check targets-docker test "$(ls -A t1)" = "web.docker"

# The same source gives the same bytes, run after run.
expect again 0 "$CPOLC" "$ex/web.pol" -o a2
check deterministic cmp a/b/c/web.docker a2/web.docker

# A failed run creates no directory and leaves an existing one alone.
printf 'policy bad {\n\tcapabilities nope;\n}\n' > bad.pol
expect fail-new-dir 1 "$CPOLC" bad.pol -o fresh/out
check fail-no-dir test ! -e fresh
# A missing directory is filled beside its name and renamed into place
# whole: nothing of that is left, whether the run succeeds or fails
# after a first policy was written.
check stage-gone test "$(ls -A a/b)" = "c"
printf 'policy good {\n}\npolicy late {\n\tnetwork app;\n\tpublish 8080:80;\n}\n' \
	> late.pol
expect fail-late-new-dir 1 "$CPOLC" late.pol -o fresh2/out
check fail-late-no-dir test ! -e fresh2
mkdir fresh3
expect fail-late-in-parent 1 "$CPOLC" late.pol -o fresh3/out
check fail-late-parent-empty test -z "$(ls -A fresh3)"
# A name so long that the stage's would pass NAME_MAX: made directly.
long=$(printf '%0250d' 0)
mkdir longp
expect long-dir-name 0 "$CPOLC" "$ex/web.pol" -o "longp/$long"
check long-dir-only test "$(ls -A longp)" = "$long" -a -f "longp/$long/web.te"
expect trailing-slash 0 "$CPOLC" "$ex/web.pol" -o slash/
check trailing-slash-dir test -f slash/web.te -a -z "$(ls -A . | grep cpolc)"
cp -R a2 keep
before=$(tree_sum keep)
expect fail-keep 1 "$CPOLC" "$ex/web.pol" bad.pol -o keep
check fail-keep-unchanged test "$(tree_sum keep)" = "$before"

# A name in the way of the output directory is an I/O error.
echo x > afile
expect not-a-dir 2 "$CPOLC" "$ex/web.pol" -o afile/out
has not-a-dir-msg "$err" "cpolc: 'afile' is not a directory"

# Outputs replace a symbolic link; they never write through it.
mkdir link && echo victim > victim && ln -s ../victim link/web.docker
expect symlink 0 "$CPOLC" "$ex/web.pol" -o link
check symlink-victim test "$(cat victim)" = victim
check symlink-replaced test ! -L link/web.docker

# Warnings: shown, silenced by -q, errors under -Werror.
printf 'policy w {\n\tlisten tcp 80;\n}\n' > warn.pol
expect warning 0 "$CPOLC" warn.pol -o w1
has warning-msg "$err" "warn.pol:2:13: warning: policy 'w' names no network: the container joins the runtime's default bridge; add 'network NAME;'"
expect quiet 0 "$CPOLC" -q warn.pol -o w2
check quiet-silent test ! -s "$err"
expect werror 1 "$CPOLC" -Werror warn.pol -o w3
check werror-no-output test ! -e w3

# Several files in one run; a file included twice is read once.
mkdir multi
printf 'template t {\n\tlimit pids 10;\n}\n' > multi/t.pol
printf 'include "t.pol";\npolicy a extends t {\n}\n' > multi/a.pol
printf 'include "t.pol";\npolicy b extends t {\n}\n' > multi/b.pol
expect multi 0 "$CPOLC" multi/a.pol multi/b.pol -o m1
check multi-outputs test "$(ls m1/*.docker | tr '\n' ' ')" = \
	"m1/a.docker m1/b.docker "
printf 'policy a {\n}\n' > multi/dup.pol
expect multi-dup 1 "$CPOLC" multi/a.pol multi/dup.pol -o m2
has multi-dup-msg "$err" "multi/dup.pol:1:8: error: 'a' is defined twice"

# The same policy named from elsewhere hashes the same.
(cd multi && "$CPOLC" a.pol -o ../m3) && cd "$scratch" || exit 99
check hash-stable test "$(grep sha256 m1/a.docker)" = \
	"$(grep sha256 m3/a.docker)"

# --up-to-date: lists what is missing, differs or is stale; writes nothing.
expect utd-fresh 0 "$CPOLC" "$ex/web.pol" -o utd
expect utd-clean 0 "$CPOLC" --up-to-date "$ex/web.pol" -o utd
check utd-clean-silent test ! -s "$out"
echo extra >> utd/web.docker
rm utd/web.compose.yaml
touch utd/gone.apparmor utd/notes.txt
before=$(tree_sum utd)
expect utd-dirty 1 "$CPOLC" --up-to-date "$ex/web.pol" -o utd
has utd-missing "$out" "missing: utd/web.compose.yaml"
has utd-differs "$out" "differs: utd/web.docker"
has utd-stale "$out" "stale: utd/gone.apparmor (no policy produces it)"
check utd-only-three test "$(wc -l < "$out")" -eq 3
check utd-writes-nothing test "$(tree_sum utd)" = "$before"
expect utd-needs-o 2 "$CPOLC" --up-to-date "$ex/web.pol"

# --depfile: a make rule from every output to every source read.
expect depfile 0 "$CPOLC" "$ex/web.pol" -o dep --depfile dep/web.d
has depfile-target dep/web.d "dep/web.apparmor \\"
has depfile-source dep/web.d " $ex/base.pol"
has depfile-phony dep/web.d "$ex/base.pol:"
expect depfile-check 2 "$CPOLC" --check --depfile x.d "$ex/web.pol"
mkdir mk && cp "$ex/web.pol" "$ex/base.pol" mk/
cat > mk/Makefile <<MK
out/web.docker: web.pol
	\$(CPOLC) web.pol -o out --depfile web.d
-include web.d
MK
(cd mk && make -s CPOLC="$CPOLC" > /dev/null) && sleep 1 &&
	touch mk/base.pol &&
	(cd mk && make -s -q CPOLC="$CPOLC" out/web.docker)
check depfile-make-sees-include test $? -eq 1

finish
