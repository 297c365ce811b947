# Sourced by ./tasklane and .ci/run: sets TASKLANE_JAVA_HOME to a JDK >= 21,
# trying JAVA_HOME first, then the usual install folders, then java on PATH.

java_major() { # prints the feature version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

find_jdk() {
  local candidates=() c major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for c in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/.sdkman/candidates/java/* \
           /opt/java/* /opt/jdk* /usr/local/jdk* "$HOME"/.jdks/*; do
    [ -d "$c" ] && candidates+=("$c")
  done
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    major=$(java_major "$c/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      TASKLANE_JAVA_HOME=$c
      return 0
    fi
  done
  cat >&2 <<'MSG'
tasklane: no JDK 21 or newer was found (looked at JAVA_HOME, /usr/lib/jvm, the usual install folders, and PATH).
Install one, for example Eclipse Temurin 21 or 25 (https://adoptium.net) or your system's openjdk-21-jdk package,
then run again, or point JAVA_HOME at it.
MSG
  return 1
}
