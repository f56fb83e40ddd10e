#!/usr/bin/env bash
# bochs-fred.sh - `make bochs-fred`: build Bochs from its development tree,
# the only emulator with FRED (Flexible Return and Event Delivery) and a CPU
# model that has it (wildcat_lake), into build/tools/ (issue 14).
#
#   make bochs-fred [BOCHS_SRC=<dir>] [BOCHS_CACHE=<dir>] [BOCHS_BUILD=<dir>] [JOBS=2]
#
# Where the source comes from, first match wins:
#   BOCHS_SRC=<dir>   a Bochs source tree: the repository's top (with bochs/
#                     in it) or the bochs/ directory itself (with configure);
#                     or a git directory of the repository (bare or not),
#                     whose HEAD is unpacked into the cache
#   the cache         $CACHE/bochs-src, left by an earlier run
#   a clone           of the public repository (BOCHS_REPO), where the
#                     machine is online
# The source is copied into BOCHS_BUILD (default $CACHE/bochs-build) and
# built there, so a source tree given with BOCHS_SRC is never written to. A
# tree is known by its commit: after editing one without committing, remove
# the build directory to have the edit built.
# CACHE is BOCHS_CACHE if set, else /var/cache/ringtrip where that is
# writable, else ~/.cache/ringtrip.
# Nothing of Bochs is ever committed to ringtrip.
#
# Result: build/tools/bin/bochs (and build/tools/bochs, a link to it), with
# the BIOS and VGA BIOS images of the same tree in build/tools/share/bochs/.
# build/tools/bochs-fred.stamp records the source commit and the configure
# line; a second run with the same ones does nothing. `make clean` removes
# build/tools/ too; the build directory survives it, so a rebuild after it
# only relinks and installs.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
dest=$root/build/tools
jobs=${JOBS:-2}
repo_url=${BOCHS_REPO:-https://github.com/bochs-emu/Bochs.git}

if [ -n "${BOCHS_CACHE:-}" ]; then
	cache=$BOCHS_CACHE
elif [ -w /var/cache ] || [ -w /var/cache/ringtrip ]; then
	cache=/var/cache/ringtrip
else
	cache=${XDG_CACHE_HOME:-$HOME/.cache}/ringtrip
fi
build_dir=${BOCHS_BUILD:-$cache/bochs-build}
mkdir -p "$cache"

# What a nogui, plugin-less Bochs needs to build on Debian (not in
# deps.sh's own list: `make run` and `make test` never build Bochs).
build_pkgs=(
	g++ make   # Bochs is C++; its generated Makefiles
	git        # a clone of the public repository, or unpacking a given git dir
)
bash "$(dirname "$0")/deps.sh" "${build_pkgs[@]}"   # the one install routine

# unpack_git GITDIR OUT: HEAD of a git directory as a plain tree in OUT.
# A partial copy of the repository may lack some blobs (the large OVMF image
# in bochs/bios/ is one, and the build does not use it): those are left out
# and named, instead of failing the whole unpack.
unpack_git() {
	local gd=$1 out=$2 tmp absent=()
	tmp=$(mktemp -d "$cache/bochs-src.XXXXXX")
	while IFS= read -r path; do
		absent+=(":(exclude)$path")
		echo "bochs-fred: $path is not in $gd; left out" >&2
	done < <(git --git-dir="$gd" ls-tree -r HEAD | awk '$2 == "blob" { print $3 "\t" $4 }' > "$tmp.blobs"
		 cut -f1 "$tmp.blobs" | git --git-dir="$gd" cat-file --batch-check |
			awk '$2 == "missing" { print $1 }' > "$tmp.missing"
		 awk -F'\t' 'NR == FNR { m[$1] = 1; next } m[$1] { print $2 }' "$tmp.missing" "$tmp.blobs"
		 rm -f "$tmp.blobs" "$tmp.missing")
	# git archive still names an excluded blob it cannot read; only that
	# line is dropped from its errors
	git --git-dir="$gd" archive --format=tar HEAD -- . "${absent[@]}" 2> "$tmp.err" | tar -x -C "$tmp"
	local p
	for p in "${absent[@]}"; do printf "for '%s'\n" "${p#:(exclude)}"; done > "$tmp.absent"
	grep -v -F -f "$tmp.absent" "$tmp.err" >&2 || true
	rm -f "$tmp.err" "$tmp.absent"
	git --git-dir="$gd" rev-parse HEAD > "$tmp/.ringtrip-bochs-commit"
	rm -rf "$out"
	mv "$tmp" "$out"
}

# the bochs/ directory (the one with configure) inside a tree
bochs_dir_of() {
	if [ -x "$1/bochs/configure" ]; then echo "$1/bochs"
	elif [ -x "$1/configure" ] && [ -f "$1/cpu/cpu.h" ]; then echo "$1"
	else return 1; fi
}

src=
if [ -n "${BOCHS_SRC:-}" ]; then
	if [ ! -d "$BOCHS_SRC" ]; then
		echo "bochs-fred: BOCHS_SRC=$BOCHS_SRC is not a directory" >&2; exit 1
	fi
	if src=$(bochs_dir_of "$BOCHS_SRC"); then
		:
	elif gd=$(git -C "$BOCHS_SRC" rev-parse --absolute-git-dir 2>/dev/null) &&
	     git --git-dir="$gd" cat-file -e HEAD:bochs/configure 2>/dev/null; then
		echo "bochs-fred: unpacking HEAD of $gd into $cache/bochs-src"
		unpack_git "$gd" "$cache/bochs-src"
		src=$(bochs_dir_of "$cache/bochs-src")
	else
		echo "bochs-fred: BOCHS_SRC=$BOCHS_SRC holds neither a Bochs source tree (configure," \
			"cpu/) nor a git directory of one" >&2
		exit 1
	fi
elif src=$(bochs_dir_of "$cache/bochs-src" 2>/dev/null); then
	echo "bochs-fred: using the source in $cache/bochs-src (BOCHS_SRC=<dir> for another)"
else
	echo "bochs-fred: no BOCHS_SRC; cloning $repo_url into $cache/bochs-src"
	if ! git clone --depth 1 "$repo_url" "$cache/bochs-src.clone"; then
		rm -rf "$cache/bochs-src.clone"
		echo "bochs-fred: cannot clone $repo_url (offline?). Give a source tree:" \
			"make bochs-fred BOCHS_SRC=<dir> (the repository's top, its bochs/, or a git dir of it)" >&2
		exit 1
	fi
	git -C "$cache/bochs-src.clone" rev-parse HEAD > "$cache/bochs-src.clone/.ringtrip-bochs-commit"
	rm -rf "$cache/bochs-src"
	mv "$cache/bochs-src.clone" "$cache/bochs-src"
	src=$(bochs_dir_of "$cache/bochs-src")
fi

# The tree must be new enough: FRED emulation (cpu/fred.cc, --enable-fred)
# and the wildcat_lake model landed in Bochs' development tree in 2026;
# Bochs 2.7/2.8 have neither.
if [ ! -f "$src/cpu/fred.cc" ] || [ ! -f "$src/cpu/cpudb/intel/wildcat_lake.cc" ] ||
   ! grep -q 'enable-fred' "$src/configure"; then
	echo "bochs-fred: $src has no FRED emulation (cpu/fred.cc, --enable-fred) or no wildcat_lake" \
		"model: it needs Bochs' development tree" >&2
	exit 1
fi
commit=$(cat "$src/../.ringtrip-bochs-commit" 2>/dev/null || cat "$src/.ringtrip-bochs-commit" 2>/dev/null ||
	 git -C "$src" rev-parse HEAD 2>/dev/null || echo unknown)

# What the wildcat_lake model needs compiled in (cpu/cpudb/intel/wildcat_lake.cc):
# x86-64 and AVX (the model exists only with both), VMX level 2 (it says so
# at start-up otherwise), CET and protection keys (features it enables when
# compiled in), FRED. Nothing else: no GUI but nogui, no plugins, no
# debugger (which would stop at a prompt), no devices beyond the defaults.
# No debug information (-g) and no -O3: less compile time, and the speed of
# this Bochs hardly matters (counts, not times, come from it).
# Not --enable-all-optimizations: it forces handler chaining (and trace
# linking), with which Bochs advances the clock RDTSC reads only when an
# instruction trace ends, so under `clock: sync=none` a round trip's count
# is off by however many instructions ran since the last trace end (11 more
# on every row, a dozen more where a timed stub straddles a page). Without
# chaining the clock advances per instruction: the counts are exact and
# equal QEMU TCG's -icount ones. The two speedups that keep that are on.
export CFLAGS="-O2 -pipe" CXXFLAGS="-O2 -pipe"
configure_args=(
	--prefix="$dest"
	--enable-x86-64 --enable-cpu-level=6 --enable-avx --enable-vmx=2
	--enable-cet --enable-protection-keys --enable-fred
	--enable-repeat-speedups --enable-fast-function-calls
	--disable-handlers-chaining
	--disable-plugins --disable-debugger --disable-docbook
	--with-nogui
)
stamp="commit=$commit CXXFLAGS=$CXXFLAGS configure=${configure_args[*]}"
if [ -x "$dest/bin/bochs" ] && [ "$(cat "$dest/bochs-fred.stamp" 2>/dev/null)" = "$stamp" ]; then
	echo "bochs-fred: $dest/bin/bochs is up to date (Bochs $commit)"
	exit 0
fi

start=$(date +%s)
echo "bochs-fred: building Bochs $commit from $src in $build_dir (-j$jobs)"
# a copy of the source (the build writes into its tree: config.h, objects),
# made anew whenever the commit or the configure line changed; otherwise the
# earlier build is reused and make only redoes what is missing
if [ "$(cat "$build_dir/.ringtrip-stamp" 2>/dev/null)" != "$stamp" ]; then
	rm -rf "$build_dir"
	mkdir -p "$build_dir"
	cp -a "$src/." "$build_dir/"
	cd "$build_dir"
	echo "bochs-fred: CFLAGS=\"$CFLAGS\" CXXFLAGS=\"$CXXFLAGS\" ./configure ${configure_args[*]}"
	./configure "${configure_args[@]}" > configure.log 2>&1 ||
		{ tail -30 configure.log >&2; echo "bochs-fred: configure failed (log: $build_dir/configure.log)" >&2; exit 1; }
	echo "$stamp" > .ringtrip-stamp
fi
cd "$build_dir"
make -j"$jobs" > make.log 2>&1 ||
	{ tail -30 make.log >&2; echo "bochs-fred: make failed (log: $build_dir/make.log)" >&2; exit 1; }
rm -rf "$dest"
make install > install.log 2>&1 ||
	{ tail -30 install.log >&2; echo "bochs-fred: make install failed (log: $build_dir/install.log)" >&2; exit 1; }
ln -sfn bin/bochs "$dest/bochs"

# proof it is the Bochs wanted: the model is in its CPU list, and FRED is
# compiled in (only then does it carry fred.cc's messages; tests/boot/fred.sh
# asks the same two questions)
models=$("$dest/bin/bochs" --help cpu 2>&1 || true)
if ! grep -qx wildcat_lake <<< "$models" || ! grep -qa 'FRED Event Delivery' "$dest/bin/bochs"; then
	echo "bochs-fred: the built $dest/bin/bochs lacks the wildcat_lake CPU model or FRED" >&2
	exit 1
fi
echo "$stamp" > "$dest/bochs-fred.stamp"
echo "bochs-fred: built $dest/bin/bochs in $(( $(date +%s) - start ))s (Bochs $commit, FRED, wildcat_lake)"
