# SPDX-License-Identifier: LGPL-2.1-or-later
# doc-extract.awk: the commands of the ```console blocks of one Markdown
# file, for test-doc-commands.sh.  Writes OUT/N.cmd (the command, its
# continuation and here-document lines), OUT/N.exp (the expected output)
# and one line "N LINE" per command to OUT/list, N from 1 in file order.
#
#   - a block starts with a line "```console" and ends with "```";
#   - in it, a line starting with "$ " or "# " is a command (the prompt is
#     not part of it); a command ending in "\" goes on with the next line,
#     and one with a here-document (<<WORD, <<'WORD', <<"WORD") takes the
#     lines up to the one that is exactly WORD;
#   - every other line up to the next command or the end of the block is
#     the output expected.
# Usage: awk -v out=DIR -f doc-extract.awk FILE.md
function flush() { if (n > 0) { close(cmdf); close(expf) } }
BEGIN { n = 0; inblock = 0; cont = 0; heredoc = "" }
{
    if (!inblock) {
        if ($0 == "```console") inblock = 1
        next
    }
    if (heredoc != "") {
        print > cmdf
        if ($0 == heredoc) heredoc = ""
        next
    }
    if (cont) {
        print > cmdf
        cont = ($0 ~ /\\$/)
        next
    }
    if ($0 ~ /^```/) { inblock = 0; next }
    if ($0 ~ /^[$#] /) {
        flush()
        n++
        cmdf = out "/" n ".cmd"; expf = out "/" n ".exp"
        printf "" > expf
        print substr($0, 3) > cmdf
        print n, FNR >> (out "/list")
        cont = ($0 ~ /\\$/)
        if (match($0, /<<-?[ ]*['"]?[A-Za-z_][A-Za-z0-9_]*['"]?/)) {
            word = substr($0, RSTART, RLENGTH)
            sub(/^<<-?[ ]*/, "", word); gsub(/['"]/, "", word)
            heredoc = word
        }
        next
    }
    if (n > 0) print > expf
    else { printf "%s:%d: output before the first command\n", FILENAME, FNR > "/dev/stderr"; bad = 1 }
}
END {
    flush()
    if (inblock) { printf "%s: a ```console block is not closed\n", FILENAME > "/dev/stderr"; bad = 1 }
    if (heredoc != "") { printf "%s: a here-document is not closed\n", FILENAME > "/dev/stderr"; bad = 1 }
    exit bad
}
