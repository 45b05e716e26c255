"""Latency of one JSON API request authenticated by a personal API token (Bearer) against the sign-in cookie.

Usage: token_auth.py BASE_URL DB_FILE COOKIE_HEADER REQUESTS OUT_MD
Creates a token row for the first account directly in the database (the secret's SHA-256, as the dashboard stores it),
then times REQUESTS sequential GET /api/deployments/1 on one keep-alive connection each way (404: authentication,
the access check and one lookup; no deployment needed), interleaved in rounds of 100.
"""
import base64, hashlib, http.client, os, secrets, sqlite3, statistics, sys, time, urllib.parse
from datetime import datetime, timedelta, timezone

base, db_file, cookie, requests, out = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
public_id = secrets.token_hex(8)
secret = base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode()
token = f"batou_{public_id}_{secret}"
now = datetime.now(timezone.utc).replace(tzinfo=None)
with sqlite3.connect(db_file) as db:
    user_id, user_name = db.execute('SELECT "Id", "UserName" FROM "AspNetUsers" LIMIT 1').fetchone()
    db.execute('INSERT INTO api_tokens ("PublicId","SecretHash","UserId","UserName","Name","Environments","Actions","CreatedUtc","ExpiresUtc") '
               'VALUES (?,?,?,?,?,?,?,?,?)',
               (public_id, hashlib.sha256(secret.encode()).hexdigest(), user_id, user_name, "bench", "", "read,deploy,cancel",
                now.isoformat(sep=" "), (now + timedelta(days=1)).isoformat(sep=" ")))

url = urllib.parse.urlparse(base)
modes = {"bearer token": {"Authorization": f"Bearer {token}"}, "cookie": {"Cookie": cookie}}
conns = {m: http.client.HTTPConnection(url.hostname, url.port) for m in modes}
times = {m: [] for m in modes}

def one(mode):
    start = time.perf_counter()
    conns[mode].request("GET", "/api/deployments/1", headers=modes[mode])
    r = conns[mode].getresponse()
    r.read()
    if r.status != 404:
        raise SystemExit(f"{mode}: expected 404, got {r.status}")
    return (time.perf_counter() - start) * 1000

for m in modes:  # warm-up
    for _ in range(50):
        one(m)
for _ in range(max(1, requests // 100)):
    for m in modes:
        times[m].extend(one(m) for _ in range(100))

def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]

with open(out, "a") as f:
    f.write("| authentication | requests | p50 ms | p95 ms | p99 ms | mean ms |\n|---|---|---|---|---|---|\n")
    for m, xs in times.items():
        f.write(f"| {m} | {len(xs)} | {pct(xs, 50):.2f} | {pct(xs, 95):.2f} | {pct(xs, 99):.2f} | {statistics.mean(xs):.2f} |\n")
    f.write("\n")
print(open(out).read())
