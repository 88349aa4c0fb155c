# SPDX-License-Identifier: LGPL-2.1-or-later
# doc-match.awk: does the output (second file) match the expected lines
# (first file)?  Lines must be equal, except that an expected line that
# is exactly "..." matches any number of lines (none included), and
# "..." inside an expected line matches any text within that line.
# Exit 0 on a match, 1 otherwise.  Usage: awk -f doc-match.awk EXPECTED ACTUAL
function line_ok(want, got,    parts, k, pos, p, at) {
    if (index(want, "...") == 0) return (want "") == (got "")
    k = split(want, parts, /\.\.\./)
    # the first part is a prefix, the last a suffix, the others in order
    if (substr(got, 1, length(parts[1])) != parts[1]) return 0
    pos = length(parts[1]) + 1
    for (p = 2; p < k; p++) {
        at = index(substr(got, pos), parts[p])
        if (at == 0) return 0
        pos += at - 1 + length(parts[p])
    }
    return length(got) - pos + 1 >= length(parts[k]) && \
        substr(got, length(got) - length(parts[k]) + 1) == parts[k]
}
FILENAME == ARGV[1] { e[++m] = $0; next }
{ a[++n] = $0 }
END {
    # ok[i, j]: e[i..m] matches a[j..n]
    for (i = m + 1; i >= 1; i--) {
        for (j = n + 1; j >= 1; j--) {
            if (i == m + 1) { ok[i, j] = (j == n + 1); continue }
            if (e[i] == "...")
                ok[i, j] = ok[i + 1, j] || (j <= n && ok[i, j + 1])
            else
                ok[i, j] = (j <= n && line_ok(e[i], a[j]) && ok[i + 1, j + 1])
        }
    }
    exit ok[1, 1] ? 0 : 1
}
