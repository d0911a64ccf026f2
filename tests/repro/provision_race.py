# Starts the device host over a socat pty pair, sends one corrupted request as soon as the device says it is up,
# and waits for the BadChecksum reply; repeats N times and counts the runs with no reply.
import json, os, subprocess, sys, time, select, termios, tty, shutil
N = int(sys.argv[1]); dll = sys.argv[2]
v = json.load(open('/work/main/tests/vectors/firmware/provisioning-v1.json'))
frame = bytearray.fromhex(v['requestFrameHex']); frame[60] ^= 0x08
fails = 0; crashes = 0
for i in range(N):
    d = f'/tmp/racerepro/r{i}'; shutil.rmtree(d, ignore_errors=True); os.makedirs(d)
    s = subprocess.Popen(['socat', f'pty,raw,echo=0,link={d}/dev', f'pty,raw,echo=0,link={d}/host'], stderr=subprocess.DEVNULL)
    while not (os.path.exists(f'{d}/dev') and os.path.exists(f'{d}/host')): time.sleep(0.01)
    dev = subprocess.Popen(['dotnet', dll, '--serial', f'{d}/dev', '--flash', f'{d}/flash'], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    line = dev.stdout.readline()
    fd = os.open(f'{d}/host', os.O_RDWR | os.O_NOCTTY); tty.setraw(fd)
    os.write(fd, bytes(frame))
    got = b''; t0 = time.time()
    while time.time() - t0 < 5 and len(got) < 10:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r: got += os.read(fd, 256)
    os.close(fd)
    ok = got.startswith(b'MP\x01\x02')
    if not ok:
        fails += 1
        if dev.poll() is not None: crashes += 1; print('crash:', dev.stdout.read()[:90].decode(errors='replace'))
    dev.kill(); dev.wait(); s.kill(); s.wait(); shutil.rmtree(d, ignore_errors=True)
print(f'runs={N} no_reply={fails} crashed={crashes}')
