#!/usr/bin/env bash
# Wall time of one command on the embedded default (no --url), as a user types it, for each jar given:
#   steadfast-bench/embedded-command-bench.sh RUNS JAR...
# Each jar gets a fresh directory of its own; a first command installs MariaDB and is not counted. A jar that has
# 'steadfast db' gets its server started once before the timed runs (the commands then find it running). The timed
# command is 'enqueue --type noop', and for scale 'steadfast --version' (a JVM's start and nothing else); the jars take
# turns, run after run, so that the machine's load falls on all alike. Prints every run and the medians, in
# milliseconds, and the size of each directory. Stops what it started.
set -euo pipefail
runs="$1"; shift
jars=(); dirs=(); kept=()
for jar in "$@"; do
  jars+=("$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")")
  dir="$(mktemp -d)"; dirs+=("$dir")
  (cd "$dir" && java -jar "${jars[-1]}" stats > /dev/null 2>&1)        # installs MariaDB (not counted)
  if (cd "$dir" && java -jar "${jars[-1]}" db start > /dev/null 2>&1); then kept+=(yes); else kept+=(no); fi
done
declare -A times floor
for run in $(seq "$runs"); do
  for i in "${!jars[@]}"; do
    start=$(date +%s%N)
    (cd "${dirs[$i]}" && java -jar "${jars[$i]}" enqueue --type noop > /dev/null 2>&1)
    times[$i]="${times[$i]:-} $(( ($(date +%s%N) - start) / 1000000 ))"
    start=$(date +%s%N)
    java -jar "${jars[$i]}" --version > /dev/null 2>&1
    floor[$i]="${floor[$i]:-} $(( ($(date +%s%N) - start) / 1000000 ))"
  done
done
for i in "${!jars[@]}"; do
  [ "${kept[$i]}" = yes ] && (cd "${dirs[$i]}" && java -jar "${jars[$i]}" db stop > /dev/null 2>&1)
  sorted=($(printf '%s\n' ${times[$i]} | sort -n))
  sortedFloor=($(printf '%s\n' ${floor[$i]} | sort -n))
  echo "${jars[$i]} (server kept: ${kept[$i]}): enqueue runs${times[$i]} ms, median ${sorted[$(( runs / 2 ))]} ms;" \
       "--version median ${sortedFloor[$(( runs / 2 ))]} ms; .steadfast $(du -sh "${dirs[$i]}/.steadfast" | cut -f1)"
  rm -rf "${dirs[$i]}"
done
