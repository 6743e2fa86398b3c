#!/usr/bin/env bash
# Whole runs of `shura tally` side by side with the C reference programs of ../shared/bench-reference,
# on the same files, alternating in one run:
#   bench/tally.sh [ROUNDS]
# Builds the references and the files in a scratch folder (never in the repository), publishes
# shura as it is installed (ReadyToRun, scripts/install.sh), and prints each program's times, the
# median ratio, and both winners, which must be the same. `shura tally` is also timed as
# `dotnet shura.dll` from a plain build, whose code is compiled as it first runs.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
reference=../shared/bench-reference
[ -d "$reference" ] || { echo "bench/tally.sh: $reference is missing (../shared beside the repository)" >&2; exit 1; }
work=${SHURA_BENCH_DIR:-/tmp/shura-bench-tally}
mkdir -p "$work"
gcc -O2 -o "$work/gen" "$reference/gen.c" 2>/dev/null
gcc -O2 -march=native -o "$work/tally" "$reference/tally.c" 2>/dev/null
[ -f "$work/ic_1M_20.soc" ] || "$work/gen" ic 1000000 20 7 "$work/ic_1M_20.soc" >/dev/null
[ -f "$work/liquid_1M/ballots.csv" ] || { mkdir -p "$work/liquid_1M"; "$work/gen" liquid 1000000 6 42 "$work/liquid_1M" >/dev/null; }
scripts/install.sh "$work/shura" >/dev/null
dotnet build src/Shura.Cli -c Release -v quiet -nologo >/dev/null
plain="dotnet src/Shura.Cli/bin/Release/net10.0/shura.dll"

seconds() { /usr/bin/time -f %e "$@" 2>&1 >/dev/null | tail -n 1; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

compare() {
  local name=$1 c=$2 installed=$3 jit=$4
  : >"$work/c.times"; : >"$work/shura.times"; : >"$work/jit.times"
  for _ in $(seq "$rounds"); do
    seconds $c >>"$work/c.times"
    seconds $installed >>"$work/shura.times"
    seconds $jit >>"$work/jit.times"
  done
  local mc ms mj
  mc=$(median <"$work/c.times"); ms=$(median <"$work/shura.times"); mj=$(median <"$work/jit.times")
  echo "$name"
  echo "  C reference:             $(tr '\n' ' ' <"$work/c.times")(median $mc s)"
  echo "  shura (installed):       $(tr '\n' ' ' <"$work/shura.times")(median $ms s, $(awk "BEGIN { printf \"%.2f\", $ms / $mc }") of C)"
  echo "  dotnet shura.dll:        $(tr '\n' ' ' <"$work/jit.times")(median $mj s, $(awk "BEGIN { printf \"%.2f\", $mj / $mc }") of C)"
}

compare "Schulze, 1,000,000 random full rankings of 20 (gen ic 1000000 20 7)" \
  "$work/tally soc $work/ic_1M_20.soc" \
  "$work/shura/shura tally --method schulze $work/ic_1M_20.soc" \
  "$plain tally --method schulze $work/ic_1M_20.soc"
# The C reference prints each candidate's number of pairwise wins: the winner beats every other.
winner() { awk '/schulze wins:/ { best = 3; for (i = 4; i <= NF; i++) if ($i > $best) best = i; print best - 3 }'; }
echo "  winner: C candidate $(( $("$work/tally" soc "$work/ic_1M_20.soc" | winner) + 1 )) (c1 = 1); shura $("$work/shura/shura" tally --method schulze "$work/ic_1M_20.soc" | grep '^Winners' | tr -s ' ')"

compare "Schulze with delegation, 1,000,000 members (gen liquid 1000000 6 42)" \
  "$work/tally liquid $work/liquid_1M" \
  "$work/shura/shura tally --method schulze --delegations $work/liquid_1M/delegations.csv $work/liquid_1M/ballots.csv" \
  "$plain tally --method schulze --delegations $work/liquid_1M/delegations.csv $work/liquid_1M/ballots.csv"
echo "  C: $("$work/tally" liquid "$work/liquid_1M" | head -n 1) winner alternative $("$work/tally" liquid "$work/liquid_1M" | winner)"
echo "  shura: $("$work/shura/shura" tally --method schulze --delegations "$work/liquid_1M/delegations.csv" "$work/liquid_1M/ballots.csv" | grep -E '^(Winners|Members)' | tr -s ' ' | tr '\n' ' ')"
