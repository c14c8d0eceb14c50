#!/bin/sh
# Writes the man page seam(1), in roff, to standard output: made from `seam help` and `seam help COMMAND`
# (argument-parser's help, the same text as --help), so it says what the installed binary says.
#   scripts/seam-man.sh .build/release/seam > seam.1 && man -l seam.1
# (argument-parser's generate-manual plugin needs a build of its own; this needs only the binary.)
set -eu
seam=${1:?usage: seam-man.sh SEAM_BINARY}
export COLUMNS=1000  # one line per paragraph and per option: roff fills them

# One command's help as roff. $1: the command's words ("seam inspect"); $2: 1 for the root command.
to_roff() {
    awk -v name="$1" -v root="$2" '
    function esc(s) {
        gsub(/\\/, "\\e", s)
        gsub(/-/, "\\-", s)
        if (s ~ /^[.\047]/) s = "\\&" s
        return s
    }
    function flush_item() {
        if (term != "") { print ".TP"; print "\\fB" esc(term) "\\fR"; if (text != "") print esc(text) }
        term = ""; text = ""
    }
    function open_nf() { if (!nf) { print ".nf"; nf = 1 } }
    function close_nf() { if (nf) { print ".fi"; nf = 0 } }
    BEGIN { section = "discussion"; nf = 0; term = ""; text = "" }
    /^OVERVIEW: / { overview = substr($0, 11); section = "overview"; next }
    section == "overview" && $0 != "" { overview = overview " " $0; next }
    section == "overview" {
        if (root == 1) { print ".SH NAME"; print esc(name) " \\- " esc(overview) }
        else { print ".SS \"" esc(name) "\""; print esc(overview) }
        print ".PP"; section = "discussion"; next
    }
    /^USAGE: / {
        close_nf(); section = "usage"
        print (root == 1 ? ".SH SYNOPSIS" : ".PP\n.B Usage:")
        open_nf(); print esc(substr($0, 8)); next
    }
    /^[A-Z][A-Z ]*:$/ {
        flush_item(); close_nf(); section = tolower(substr($0, 1, length($0) - 1))
        heading = (section == "subcommands") ? "COMMANDS" : toupper(section)
        if (root == 1) print ".SH " heading; else print ".PP\n.B " substr(heading, 1, 1) tolower(substr(heading, 2)) ":"
        next
    }
    section == "usage" {
        if ($0 == "") { close_nf(); section = "after" } else print esc($0)
        next
    }
    section == "discussion" {
        # Prose is filled by roff; indented lines (examples) keep their layout.
        if ($0 == "") { close_nf(); print ".PP"; next }
        if ($0 ~ /^ /) { open_nf() } else { close_nf() }
        print esc($0); next
    }
    /^  See / { flush_item(); print ".PP"; sub(/^ +/, ""); print esc($0); next }
    /^    / { line = $0; sub(/^ +/, "", line); text = (text == "" ? line : text " " line); next }
    /^  [^ ]/ {
        # The term: a subcommand, <argument> or -o, --option <value> (--a/--no-a); the rest is its help.
        flush_item(); line = substr($0, 3)
        if (section == "subcommands") found = match(line, /^[a-z][-a-z0-9]*/)
        else found = match(line, /^(<[^>]+>|(-[A-Za-z0-9], )?--?[A-Za-z0-9][-A-Za-z0-9]*(\/--?[A-Za-z0-9][-A-Za-z0-9]*)*( <[^>]+>)?)( \.\.\.)?/)
        if (found) { term = substr(line, 1, RLENGTH); text = substr(line, RLENGTH + 1); sub(/^ +/, "", text) }
        else { term = line; text = "" }
        next
    }
    /^$/ { flush_item(); next }
    END { flush_item(); close_nf() }
    '
}

commands=$("$seam" help | awk '/^SUBCOMMANDS:$/ { on = 1; next } on && /^  [a-z]/ { print $1 } /^$/ && on { on = 0 }')
printf '.TH SEAM 1 "" "seam" "User Commands"\n'
"$seam" help | to_roff seam 1
printf '.PP\nEach command is described below, as `seam help COMMAND` shows it.\n'
for command in $commands; do
    [ "$command" = help ] && continue
    "$seam" help "$command" | to_roff "seam $command" 0
done
cat <<'ROFF'
.SH EXIT STATUS
0 on success, 1 when the command failed (bad input, I/O), 2 for a usage error;
\fBseam check\fR and \fBseam report \-\-check\fR exit 3 when they found what they check for.
.SH FILES
.TP
\fIPREFIX\fB/lib/seam/libSeamPreload.so\fR
The library \fBseam trace \-\-method preload\fR preloads into the traced program
(also found next to \fBseam\fR, or in \fB../lib\fR beside it; \fBSEAM_PRELOAD\fR overrides).
.TP
\fIPREFIX\fB/share/seam/seam.lua\fR
The Wireshark postdissector for session files; copy or link it into
\fB~/.local/lib/wireshark/plugins/\fR to enable it.
.SH SEE ALSO
.BR tshark (1),
.BR wireshark (1),
.BR tcpdump (8),
.BR setcap (8)
ROFF
