"""Runs a command in a real pseudo-terminal and answers its prompts.

usage: python3 run_in_pty.py '<json: [[expected text, reply], ...]>' command [args...]
Prints one JSON object: {"code": exit status, "output": everything the terminal showed}.
"""
import json, os, pty, re, select, sys, time

script = json.loads(sys.argv[1])
command = sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(command[0], command)

output = b""
ansi = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")

def read(timeout):
    global output
    ready, _, _ = select.select([fd], [], [], timeout)
    if not ready:
        return False
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        return None
    if not chunk:
        return None
    output += chunk
    return True

for expected, reply in script:
    deadline = time.time() + 30
    while expected.encode() not in ansi.sub(b"", output):
        if time.time() > deadline or read(0.5) is None:
            print(json.dumps({"code": -1, "output": output.decode("utf8", "replace"), "waiting_for": expected}))
            sys.exit(0)
    time.sleep(0.2)
    os.write(fd, reply.encode())

deadline = time.time() + 30
while time.time() < deadline and read(0.5) is not None:
    pass
_, status = os.waitpid(pid, 0)
print(json.dumps({"code": os.waitstatus_to_exitcode(status), "output": output.decode("utf8", "replace")}))
