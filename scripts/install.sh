#!/usr/bin/env bash
# Installs the `shura` command into DIR (default ~/.local/lib/shura, linked from ~/.local/bin):
#   scripts/install.sh [DIR]
# A Release build published for this machine with its code compiled ahead of time (ReadyToRun):
# a command that runs for a second or less, such as `shura tally`, otherwise spends a good part of
# it compiling itself. It needs the .NET 10 runtime, as `dotnet run` does.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-$HOME/.local/lib/shura}
case "$(uname -m)" in
  x86_64) rid=linux-x64 ;;
  aarch64 | arm64) rid=linux-arm64 ;;
  *) echo "install.sh: no ahead-of-time build for $(uname -m); use dotnet run --project src/Shura.Cli" >&2; exit 1 ;;
esac
dotnet publish src/Shura.Cli -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true -o "$dir" -v quiet -nologo
if [ $# -eq 0 ]; then
  mkdir -p "$HOME/.local/bin"
  ln -sf "$dir/shura" "$HOME/.local/bin/shura"
  echo "installed: $HOME/.local/bin/shura -> $dir/shura"
else
  echo "installed: $dir/shura"
fi
