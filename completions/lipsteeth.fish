# fish completion for lipsteeth (installed as share/fish/vendor_completions.d/lipsteeth.fish).
# The options are those of `lipsteeth SUBCOMMAND --help` (tests/cli/install_test.cpp checks them).
set -l commands index search analyze actors stats verify serve
complete -c lipsteeth -f
complete -c lipsteeth -n "not __fish_seen_subcommand_from $commands" -s h -l help -d 'Print help and exit'
complete -c lipsteeth -n "not __fish_seen_subcommand_from $commands" -s V -l version -d 'Print the version and exit'
complete -c lipsteeth -n "not __fish_seen_subcommand_from $commands" -l config -r -F -d 'Options file (INI)'
complete -c lipsteeth -n "not __fish_seen_subcommand_from $commands" -a index -d 'Build or update the index'
complete -c lipsteeth -n "not __fish_seen_subcommand_from $commands" -a search -d 'Ranked passages for a query'
complete -c lipsteeth -n "not __fish_seen_subcommand_from $commands" -a analyze -d 'What the indexer sees in a file'
complete -c lipsteeth -n "not __fish_seen_subcommand_from $commands" -a actors -d 'The actor gazetteer'
complete -c lipsteeth -n "not __fish_seen_subcommand_from $commands" -a stats -d 'What is in the index'
complete -c lipsteeth -n "not __fish_seen_subcommand_from $commands" -a verify -d 'Check the index'
complete -c lipsteeth -n "not __fish_seen_subcommand_from $commands" -a serve -d 'Serve one shard over Xapian remote'
complete -c lipsteeth -n "__fish_seen_subcommand_from $commands" -s h -l help -d 'Print help and exit'

# index
complete -c lipsteeth -n "__fish_seen_subcommand_from index" -F
complete -c lipsteeth -n "__fish_seen_subcommand_from index" -l db -r -F -d 'Index folder'
complete -c lipsteeth -n "__fish_seen_subcommand_from index" -l rebuild -d 'Build a fresh index and swap it in'
complete -c lipsteeth -n "__fish_seen_subcommand_from index" -l gate -r -F -d 'Swap in the new index only if it passes the checks of FILE'
complete -c lipsteeth -n "__fish_seen_subcommand_from index" -l shards -x -d 'Build N shard databases in parallel'
complete -c lipsteeth -n "__fish_seen_subcommand_from index" -l allow-removal -d 'Remove the articles of a missing or emptied folder'
complete -c lipsteeth -n "__fish_seen_subcommand_from index" -l max-removal -x -d 'Largest share of articles a run may remove, percent'
complete -c lipsteeth -n "__fish_seen_subcommand_from index" -s j -l jobs -x -d 'Analysis threads and writer shards'
complete -c lipsteeth -n "__fish_seen_subcommand_from index" -l actors -r -F -d 'Gazetteer TSV file'
complete -c lipsteeth -n "__fish_seen_subcommand_from index" -l ext -x -d 'File name extensions to index'
complete -c lipsteeth -n "__fish_seen_subcommand_from index" -l follow-symlinks -d 'Follow links leading outside the corpus'
complete -c lipsteeth -n "__fish_seen_subcommand_from index" -l store-texts -d 'Keep every passage text in the index'
complete -c lipsteeth -n "__fish_seen_subcommand_from index" -l batch-mb -x -d 'Commit every N MB of input per writer'
complete -c lipsteeth -n "__fish_seen_subcommand_from index" -s q -l quiet -d 'Print nothing but errors'
complete -c lipsteeth -n "__fish_seen_subcommand_from index" -l json -d 'Print the summary as JSON'

# search
complete -c lipsteeth -n "__fish_seen_subcommand_from search" -l db -r -F -d 'Index folder'
complete -c lipsteeth -n "__fish_seen_subcommand_from search" -l year -x -d 'Year or range: 2016, 2012..2016'
complete -c lipsteeth -n "__fish_seen_subcommand_from search" -l since -x -d 'Only articles dated on or after'
complete -c lipsteeth -n "__fish_seen_subcommand_from search" -l until -x -d 'Only articles dated on or before'
complete -c lipsteeth -n "__fish_seen_subcommand_from search" -l sort -x -a 'score date' -d 'Order of the hits'
complete -c lipsteeth -n "__fish_seen_subcommand_from search" -l format -x -a 'text json csv tsv' -d 'Output format'
complete -c lipsteeth -n "__fish_seen_subcommand_from search" -s l -l files-with-matches -d 'Only the files with a match'
complete -c lipsteeth -n "__fish_seen_subcommand_from search" -s c -l count -d 'Only the number of matching passages'
complete -c lipsteeth -n "__fish_seen_subcommand_from search" -l actor -x -d 'Only passages naming this actor'
complete -c lipsteeth -n "__fish_seen_subcommand_from search" -s n -l limit -x -d 'Hits to show'
complete -c lipsteeth -n "__fish_seen_subcommand_from search" -l offset -x -d 'Hits to skip'
complete -c lipsteeth -n "__fish_seen_subcommand_from search" -l json -d 'One JSON object'
complete -c lipsteeth -n "__fish_seen_subcommand_from search" -l group-by -x -a 'passage article' -d 'One hit per article'
complete -c lipsteeth -n "__fish_seen_subcommand_from search" -l explain -d 'Show why each hit ranked'
complete -c lipsteeth -n "__fish_seen_subcommand_from search" -l histogram -d 'The matches per year as a bar chart'
complete -c lipsteeth -n "__fish_seen_subcommand_from search" -l no-facets -d 'Do not count facets'
complete -c lipsteeth -n "__fish_seen_subcommand_from search" -l color -x -a 'auto always never' -d 'Colour output'
complete -c lipsteeth -n "__fish_seen_subcommand_from search" -l max-query-bytes -x -d 'Refuse a longer query'
complete -c lipsteeth -n "__fish_seen_subcommand_from search" -l max-query-terms -x -d 'Refuse a query of more words'

# analyze
complete -c lipsteeth -n "__fish_seen_subcommand_from analyze" -F
complete -c lipsteeth -n "__fish_seen_subcommand_from analyze" -l json -d 'One JSON object'
complete -c lipsteeth -n "__fish_seen_subcommand_from analyze" -l terms -d 'Show each passage terms'
complete -c lipsteeth -n "__fish_seen_subcommand_from analyze" -l actors -r -F -d 'Gazetteer TSV file'
complete -c lipsteeth -n "__fish_seen_subcommand_from analyze" -l passages-only -d 'Passages only'

# actors
complete -c lipsteeth -n "__fish_seen_subcommand_from actors" -l json -d 'JSON output'
complete -c lipsteeth -n "__fish_seen_subcommand_from actors" -l actors -r -F -d 'Gazetteer TSV file'
complete -c lipsteeth -n "__fish_seen_subcommand_from actors" -l db -r -F -d 'Index folder'
complete -c lipsteeth -n "__fish_seen_subcommand_from actors" -l discover -r -F -d 'Folder of articles'
complete -c lipsteeth -n "__fish_seen_subcommand_from actors" -l report -r -F -d 'Entity-quality report on a folder of articles'
complete -c lipsteeth -n "__fish_seen_subcommand_from actors" -l min-count -x -d 'With --discover: names seen this often'
complete -c lipsteeth -n "__fish_seen_subcommand_from actors" -l limit -x -d 'With --discover: at most this many'

complete -c lipsteeth -n "__fish_seen_subcommand_from actors; and not __fish_seen_subcommand_from trend with" -a 'trend' -d 'An actor per year'
complete -c lipsteeth -n "__fish_seen_subcommand_from actors; and not __fish_seen_subcommand_from trend with" -a 'with' -d 'Actors named beside one'
complete -c lipsteeth -n "__fish_seen_subcommand_from trend with" -l year -x -d 'Only these years'
complete -c lipsteeth -n "__fish_seen_subcommand_from with" -l min-together -x -d 'Only actors sharing this many passages'

# stats, verify
complete -c lipsteeth -n "__fish_seen_subcommand_from stats verify" -l db -r -F -d 'Index folder'
complete -c lipsteeth -n "__fish_seen_subcommand_from stats verify" -l json -d 'JSON output'
# search over shards
complete -c lipsteeth -n "__fish_seen_subcommand_from search" -l allow-partial -d 'Search the shards that answer'
complete -c lipsteeth -n "__fish_seen_subcommand_from search" -l timeout -x -d 'Seconds a remote shard may take'
# serve
complete -c lipsteeth -n "__fish_seen_subcommand_from serve" -l db -r -F -d 'Index folder of the shard'
complete -c lipsteeth -n "__fish_seen_subcommand_from serve" -l port -x -d 'TCP port'
complete -c lipsteeth -n "__fish_seen_subcommand_from serve" -l host -x -d 'Address to listen on (default 127.0.0.1)'
complete -c lipsteeth -n "__fish_seen_subcommand_from serve" -l idle-timeout -x -d 'Seconds a connection may stay idle'
