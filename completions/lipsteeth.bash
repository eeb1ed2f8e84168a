# bash completion for lipsteeth (installed as share/bash-completion/completions/lipsteeth).
# The options are those of `lipsteeth SUBCOMMAND --help` (tests/cli/install_test.cpp checks them).
_lipsteeth() {
  local cur prev words cword
  _init_completion || return
  local commands="index search analyze actors stats verify serve"
  local sub="" i
  for ((i = 1; i < cword; i++)); do
    case ${words[i]} in
      index | search | analyze | actors | stats | verify | serve) [[ -z $sub ]] && sub=${words[i]} ;;
      trend | with) [[ $sub == actors ]] && sub="actors ${words[i]}" ;;
    esac
  done
  case $prev in
    --db | --discover | --report) _filedir -d; return ;;
    --actors) _filedir tsv; return ;;
    --config) _filedir; return ;;
    --sort) COMPREPLY=($(compgen -W "score date" -- "$cur")); return ;;
    --format) COMPREPLY=($(compgen -W "text json csv tsv" -- "$cur")); return ;;
    --color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
    --group-by) COMPREPLY=($(compgen -W "passage article" -- "$cur")); return ;;
    --year | --actor | -n | --limit | --offset | -j | --jobs | --ext | --batch-mb | --min-count | \
      --max-query-bytes | --max-query-terms | --since | --until | --min-together | --shards | --timeout | \
      --port | --host | --idle-timeout) return ;;
  esac
  local opts
  case $sub in
    "") COMPREPLY=($(compgen -W "$commands -h --help -V --version --config" -- "$cur")); return ;;
    index) opts="-h --help --db --rebuild --gate --allow-removal --max-removal -j --jobs --actors --ext --follow-symlinks --store-texts --batch-mb --shards -q --quiet --json" ;;
    search) opts="-h --help --db --year --since --until --actor -n --limit --offset --sort --json --format -l --files-with-matches -c --count --group-by --explain --histogram --no-facets --color --max-query-bytes --max-query-terms --allow-partial --timeout" ;;
    analyze) opts="-h --help --json --terms --actors --passages-only" ;;
    actors) opts="-h --help --json --actors --db --discover --report --min-count --limit"
      [[ $cur != -* ]] && COMPREPLY=($(compgen -W "trend with" -- "$cur")) && return ;;
    "actors trend") opts="-h --help --db --year --json" ;;
    "actors with") opts="-h --help --db --year --limit --min-together --json" ;;
    stats | verify) opts="-h --help --db --json" ;;
    serve) opts="-h --help --db --port --host --idle-timeout" ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  elif [[ $sub == index || $sub == analyze ]]; then
    _filedir
  fi
}
complete -F _lipsteeth lipsteeth
