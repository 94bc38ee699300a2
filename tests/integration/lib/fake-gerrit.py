#!/usr/bin/python3
# fake-gerrit.py: a local stand-in for Gerrit's REST API (query, change detail,
# set review) that answers as Gerrit does and records every request.
#
#   fake-gerrit.py serve --dir DIR [--user U --password P] [--lifetime S]
#       Serves on 127.0.0.1 (ephemeral port), writes DIR/port, DIR/pid, and
#       appends each request to DIR/requests.jsonl. Changes come from
#       DIR/changes.json (re-read on each request): a list of ChangeInfo with
#       "revisions" {sha: {"_number", "ref", "files": [...]}}; "files" is ours,
#       used to answer 400 to a comment on a file not in the patch set.
#       Queries (q=) are read as Gerrit reads them: terms joined by AND
#       (implicit or written), "-" or NOT negates, values bare, "quoted" or
#       {braced}; operators commit: (any patch set, a prefix of 4 or more hex
#       digits), project:, branch:, change:, status:, is:, label:NAME=VALUE|ANY
#       (votes on the current patch set); any other is a 400 as in Gerrit.
#       Exits by itself after --lifetime seconds.
#   fake-gerrit.py start --dir DIR ...   as serve, in the background; prints
#       "PORT PID" once the server listens.
#   fake-gerrit.py control --dir DIR JSON  changes the behaviour:
#       {"fail_next": N, "fail_status": 503}  the next N /a/ requests fail
#       {"restrict_label": "Verified"}        votes on it get 403
#       {"echo_auth": true}   failures echo the Authorization header, as
#                             some proxies' error pages do
#       {"reset": true}
#       {"forget": true}      drops every vote and message: a fresh Gerrit
#       {"review_on_get": {"change": N, "nth": K}}  just before answering the
#                             K-th GET of change N, this account reviews its
#                             current patch set (Verified+1), as a second
#                             watcher would while the first one gates
#       {"vote": {"change": N, "revision": SHA, "label": L, "value": V,
#                 "account": ID}}   another account votes (not reset)
#   Accounts: the --user is account --account (default 1000001), as
#   GET /a/accounts/self says. Votes are kept per account and label (a
#   review without "labels" keeps them, as in Gerrit); GET /a/changes/ID
#   with o=DETAILED_LABELS gives "labels": {L: {"all": [ApprovalInfo]}} for
#   the current patch set, o=MESSAGES the ChangeMessageInfo list (id,
#   author, date, message, tag, _revision_number) in posting order; /detail
#   gives both.
import base64
import json
import os
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer

XSSI = ")]}'\n"
KNOWN_LABELS = {"Verified": (-1, 1), "Code-Review": (-2, 2)}
NOTIFY = {"NONE", "OWNER", "OWNER_REVIEWERS", "ALL"}
REVIEW_FIELDS = {"message", "tag", "labels", "comments", "robot_comments", "drafts",
                 "draft_ids_to_publish", "notify", "notify_details",
                 "omit_duplicate_comments", "on_behalf_of", "reviewers", "ready",
                 "work_in_progress", "add_to_attention_set",
                 "remove_from_attention_set", "ignore_automatic_attention_set_rules",
                 "response_format_options"}
COMMENT_FIELDS = {"id", "path", "side", "parent", "line", "range", "in_reply_to",
                  "updated", "message", "tag", "unresolved", "fix_suggestions"}


class Failure(Exception):
    def __init__(self, status, text):
        super().__init__(text)
        self.status = status
        self.text = text


class State:
    def __init__(self, directory, user, password, account):
        self.dir = directory
        self.user = user
        self.password = password
        self.account = account
        self.control = {}
        self.votes = {}      # (change number, revision) -> {label: {account: value}}
        self.messages = {}   # change number -> [ChangeMessageInfo]
        self.next_message = 1

    def vote(self, number, sha, label, account, value):
        self.votes.setdefault((number, sha), {}).setdefault(label, {})[account] = value

    def vote_of(self, number, sha, label):
        """Any account's vote on label, the latest: what label:L=V matches."""
        values = [v for v in self.votes.get((number, sha), {}).get(label, {}).values() if v]
        return values[-1] if values else None

    def changes(self):
        with open(os.path.join(self.dir, "changes.json")) as f:
            return json.load(f)


def find_change(changes, ident):
    for c in changes:
        keys = {str(c["_number"]), c.get("id", ""), c.get("change_id", ""),
                "%s~%s" % (c.get("project"), c["_number"]),
                "%s~%s~%s" % (c.get("project"), c.get("branch"), c.get("change_id"))}
        if ident in keys:
            return c
    raise Failure(404, "Not found: %s\n" % ident)


def find_revision(change, rev):
    revs = change.get("revisions", {})
    if rev == "current":
        rev = change["current_revision"]
    for sha, info in revs.items():
        if sha == rev or (len(rev) >= 4 and sha.startswith(rev)) or \
                str(info.get("_number")) == rev:
            return sha, info
    raise Failure(404, "Not found: %s\n" % rev)


def query_terms(q):
    """Splits a query into (negated, operator, value) as Gerrit's grammar does."""
    terms, i, negate = [], 0, False
    while i < len(q):
        if q[i].isspace():
            i += 1
            continue
        if q[i] in "()":
            raise Failure(400, "fake-gerrit: parentheses are not supported\n")
        if q[i] == "-":
            negate, i = True, i + 1
            continue
        j = i
        while j < len(q) and (q[j].isalpha() or q[j] == "_"):
            j += 1
        if j == len(q) or q[j] != ":" or j == i:
            word = q[i:j] if j > i else q[i:].split()[0]
            if word == "AND":
                i = j
                continue
            if word == "NOT":
                negate, i = True, j
                continue
            raise Failure(400, "fake-gerrit: unsupported term '%s'\n" % word)
        op, value, i = q[i:j], "", j + 1
        if i < len(q) and q[i] in "\"{":
            close = "\"" if q[i] == "\"" else "}"
            i += 1
            while i < len(q) and q[i] != close:
                if q[i] == "\\" and i + 1 < len(q):
                    i += 1
                value += q[i]
                i += 1
            if i == len(q):
                raise Failure(400, "line 1:%d mismatched input\n" % i)
            i += 1
        else:
            while i < len(q) and not q[i].isspace() and q[i] not in "\"()":
                value += q[i]
                i += 1
        terms.append((negate, op, value))
        negate = False
    return terms


STATUS = {"open": {"NEW"}, "new": {"NEW"}, "merged": {"MERGED"},
          "abandoned": {"ABANDONED"}, "closed": {"MERGED", "ABANDONED"}}


def term_matches(state, c, op, value):
    status = c.get("status", "NEW")
    if op == "commit":
        v = value.lower()
        return len(v) >= 4 and any(sha == v or (len(v) < 40 and sha.startswith(v))
                                   for sha in c.get("revisions", {}))
    if op == "project":
        return c.get("project") == value
    if op == "branch":
        return c.get("branch") == value[len("refs/heads/"):] \
            if value.startswith("refs/heads/") else c.get("branch") == value
    if op == "change":
        return value in (str(c["_number"]), c.get("change_id"))
    if op in ("status", "is") and value in STATUS:
        return status in STATUS[value]
    if op == "label" and "=" in value:
        name, want = value.split("=", 1)
        vote = state.vote_of(c["_number"], c.get("current_revision"), name)
        return vote is not None if want == "ANY" else vote == int(want)
    raise Failure(400, "Unsupported operator %s:%s\n" % (op, value))


def query_changes(state, changes, q):
    terms = query_terms(q)
    return [c for c in changes
            if all(term_matches(state, c, op, v) != neg for neg, op, v in terms)]


def public_change(state, c, options, all_revisions=False):
    out = {k: v for k, v in c.items() if k != "revisions"}
    out.setdefault("status", "NEW")
    if "CURRENT_REVISION" in options or all_revisions:
        revs = {}
        for sha, info in c.get("revisions", {}).items():
            if sha != c["current_revision"] and not all_revisions:
                continue
            r = {k: v for k, v in info.items() if k != "files"}
            if "CURRENT_COMMIT" in options:
                r.setdefault("commit", {"subject": c.get("subject", "")})
            revs[sha] = r
        out["revisions"] = revs
    else:
        out.pop("current_revision", None)
    return out


def detailed_labels(state, c):
    votes = state.votes.get((c["_number"], c.get("current_revision")), {})
    return {label: {"all": [{"value": v, "_account_id": a} for a, v in votes.get(label, {}).items()],
                    "values": {str(x): "" for x in range(lo, hi + 1)}}
            for label, (lo, hi) in KNOWN_LABELS.items()}


def check_review(state, change, sha, info, body):
    if not isinstance(body, dict):
        raise Failure(400, "Invalid input: expected a JSON object\n")
    unknown = set(body) - REVIEW_FIELDS
    if unknown:
        raise Failure(400, "Unrecognized field(s): %s\n" % ", ".join(sorted(unknown)))
    if change.get("status", "NEW") in ("MERGED", "ABANDONED"):
        raise Failure(409, "change is closed\n")
    if "notify" in body and body["notify"] not in NOTIFY:
        raise Failure(400, "Invalid value for notify: %s\n" % body["notify"])
    for label, value in (body.get("labels") or {}).items():
        if label not in KNOWN_LABELS:
            raise Failure(400, "label \"%s\" is not a configured label\n" % label)
        lo, hi = KNOWN_LABELS[label]
        if not isinstance(value, int) or not lo <= value <= hi:
            raise Failure(400, "label \"%s\": %s is not a valid value\n" % (label, value))
        if state.control.get("restrict_label") == label:
            raise Failure(403, "Applying label \"%s\": %+d is restricted\n" % (label, value))
    files = info.get("files")
    for path, comments in (body.get("comments") or {}).items():
        if files is not None and path not in files and path not in ("/COMMIT_MSG",
                                                                    "/PATCHSET_LEVEL"):
            raise Failure(400, "file %s not found in revision %s,%s\n"
                          % (path, change["_number"], info.get("_number")))
        for cm in comments:
            if set(cm) - COMMENT_FIELDS or not isinstance(cm.get("message"), str):
                raise Failure(400, "Invalid comment on %s\n" % path)
            if "line" in cm and (not isinstance(cm["line"], int) or cm["line"] < 0):
                raise Failure(400, "Invalid line %s on %s\n" % (cm["line"], path))


class Handler(BaseHTTPRequestHandler):
    server_version = "fake-gerrit/1"

    def log_message(self, fmt, *args):
        pass

    def record(self, body, status):
        try:
            parsed = json.loads(body) if body else None
        except ValueError:
            parsed = body.decode("utf-8", "replace")
        entry = {"method": self.command, "path": self.path, "status": status,
                 "headers": dict(self.headers.items()), "body": parsed}
        with open(os.path.join(self.server.state.dir, "requests.jsonl"), "a") as f:
            f.write(json.dumps(entry) + "\n")

    def answer(self, status, payload=None, text=None, extra=None):
        if payload is not None:
            data = (XSSI + json.dumps(payload, indent=2) + "\n").encode()
            ctype = "application/json; charset=utf-8"
        else:
            data = (text or "").encode()
            ctype = "text/plain; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def authorized(self):
        st = self.server.state
        want = "Basic " + base64.b64encode(("%s:%s" % (st.user, st.password)).encode()).decode()
        return self.headers.get("Authorization") == want

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/__control":
            return self.control(body)
        payload = text = extra = None
        try:
            status, payload = self.route(url, body)
        except Failure as e:
            status, text = e.status, e.text
            extra = {"WWW-Authenticate": 'Basic realm="Gerrit Code Review"'} \
                if status == 401 else None
        except Exception:
            self.record(body, 500)
            raise
        # Logged before the reply: a test reads the log once its client has
        # the answer, so the entry must already be there.
        self.record(body, status)
        self.answer(status, payload, text=text, extra=extra)

    do_GET = handle_any
    do_POST = handle_any

    def control(self, body):
        st = self.server.state
        cmd = json.loads(body or b"{}")
        if cmd.get("reset"):
            st.control = {}
        if cmd.pop("forget", None):
            st.votes, st.messages = {}, {}
        v = cmd.pop("vote", None)
        if v:
            st.vote(v["change"], v["revision"], v["label"], v["account"], v["value"])
        st.control.update({k: v for k, v in cmd.items() if k != "reset"})
        self.answer(200, st.control)

    def route(self, url, body):
        st = self.server.state
        parts = [urllib.parse.unquote(p) for p in url.path.split("/")[1:]]
        if parts[:1] != ["a"]:
            raise Failure(404, "Not Found\n")
        if not self.authorized():
            raise Failure(401, "Unauthorized\n")
        if st.control.get("fail_next", 0) > 0:
            st.control["fail_next"] -= 1
            status = st.control.get("fail_status", 503)
            text = "Service Unavailable" if status == 503 else "Error"
            if st.control.get("echo_auth"):
                text += " for request with authorization: " + self.headers.get("Authorization")
            raise Failure(status, text + "\n")
        changes = st.changes()
        query = urllib.parse.parse_qs(url.query)
        if self.command == "GET" and parts == ["a", "accounts", "self"]:
            return 200, {"_account_id": st.account, "name": st.user, "username": st.user}
        if self.command == "GET" and parts == ["a", "changes", ""]:
            if "q" not in query:
                raise Failure(400, "missing query field\n")
            opts = set(query.get("o", []))
            start = int(query.get("S", ["0"])[0])
            answers = [[public_change(st, c, opts) for c in query_changes(st, changes, q)][start:]
                       for q in query["q"]]
            # One q: a list of changes; several: a list of such lists.
            return 200, answers[0] if len(answers) == 1 else answers
        if len(parts) >= 3 and parts[1] == "changes":
            change = find_change(changes, parts[2])
            rest = parts[3:]
            if self.command == "GET" and rest in (["detail"], []):
                self.review_on_get(change)
                opts = set(query.get("o", []))
                if rest:
                    opts |= {"DETAILED_LABELS", "MESSAGES"}
                out = public_change(st, change, opts | {"CURRENT_REVISION"},
                                    all_revisions=bool(rest))
                if "DETAILED_LABELS" in opts:
                    out["labels"] = detailed_labels(st, change)
                if "MESSAGES" in opts:
                    out["messages"] = st.messages.get(change["_number"], [])
                return 200, out
            if self.command == "POST" and len(rest) == 3 and rest[0] == "revisions" \
                    and rest[2] == "review":
                return self.review(change, rest[1], body)
        raise Failure(404, "Not Found\n")

    def review_on_get(self, change):
        st = self.server.state
        want = st.control.get("review_on_get")
        if not want or want["change"] != change["_number"]:
            return
        want["seen"] = want.get("seen", 0) + 1
        if want["seen"] == want["nth"]:
            sha, info = find_revision(change, "current")
            self.record_review(change, sha, info, {"labels": {"Verified": 1},
                                                   "tag": "autogenerated:mkt-gate",
                                                   "message": "mkt-gate: pass"})

    def review(self, change, rev, body):
        st = self.server.state
        sha, info = find_revision(change, rev)
        if "application/json" not in (self.headers.get("Content-Type") or ""):
            raise Failure(415, "Unsupported Media Type\n")
        try:
            review = json.loads(body)
        except ValueError:
            raise Failure(400, "Invalid JSON input\n")
        check_review(st, change, sha, info, review)
        return self.record_review(change, sha, info, review)

    def record_review(self, change, sha, info, review):
        st = self.server.state
        labels = review.get("labels") or {}
        for label, value in labels.items():
            st.vote(change["_number"], sha, label, st.account, value)
        now = time.time()
        st.messages.setdefault(change["_number"], []).append(
            {"id": "m%d" % st.next_message, "author": {"_account_id": st.account},
             "date": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(now)) +
             ".%09d" % int((now % 1) * 1e9),
             "message": review.get("message", ""), "tag": review.get("tag"),
             "_revision_number": info.get("_number")})
        st.next_message += 1
        return 200, {"labels": labels}


def serve(args):
    state = State(args["dir"], args.get("user", "gate"), args.get("password", "secret"),
                  int(args.get("account", 1000001)))
    server = HTTPServer(("127.0.0.1", 0), Handler)
    server.state = state
    lifetime = float(args.get("lifetime", 300))
    threading.Timer(lifetime, lambda: os._exit(0)).start()
    tmp = os.path.join(args["dir"], "port.tmp")
    with open(tmp, "w") as f:
        f.write("%d\n" % server.server_address[1])
    with open(os.path.join(args["dir"], "pid"), "w") as f:
        f.write("%d\n" % os.getpid())
    os.rename(tmp, os.path.join(args["dir"], "port"))
    server.serve_forever()


def start(args):
    portfile = os.path.join(args["dir"], "port")
    if os.path.exists(portfile):
        os.unlink(portfile)
    pid = os.fork()
    if pid == 0:
        os.setsid()
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        try:
            serve(args)
        finally:
            os._exit(1)
    for _ in range(200):
        if os.path.exists(portfile):
            print(open(portfile).read().strip(), pid)
            return
        time.sleep(0.05)
    sys.exit("fake-gerrit: the server did not start")


def control(args, payload):
    port = open(os.path.join(args["dir"], "port")).read().strip()
    req = urllib.request.Request("http://127.0.0.1:%s/__control" % port,
                                 data=payload.encode(), method="POST")
    print(urllib.request.urlopen(req, timeout=10).read().decode().strip())


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__ or "usage: fake-gerrit.py serve|start|control --dir DIR")
    mode, rest, args, extra = argv[1], argv[2:], {}, []
    while rest:
        if rest[0].startswith("--") and len(rest) > 1:
            args[rest[0][2:]] = rest[1]
            rest = rest[2:]
        else:
            extra.append(rest.pop(0))
    if mode == "serve":
        serve(args)
    elif mode == "start":
        start(args)
    elif mode == "control":
        control(args, extra[0] if extra else "{}")
    else:
        sys.exit("fake-gerrit: unknown mode %s" % mode)


if __name__ == "__main__":
    main(sys.argv)
