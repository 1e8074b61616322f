"""Guard against a Qt for Python build that corrupts memory when Python emits signals.

PySide6 6.12.0's ``Signal.emit()`` drops a reference to ``True`` on every call; after about 1,000 emits the
interpreter aborts (bool_dealloc). The program emits on every edit, so a clerk's long session would crash.
We pin 6.11.3; this test fails loudly if a future pin brings the bug back.
"""

import subprocess
import sys

PROGRAM = """
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal
app = QCoreApplication([])
class Sender(QObject):
    changed = Signal(object)
sender = Sender()
before = sys.getrefcount(True)
for i in range(5000):
    sender.changed.emit(i)
print(sys.getrefcount(True) - before)
"""


def test_python_signal_emits_do_not_leak_or_crash() -> None:
    done = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-500:]
    assert abs(int(done.stdout.strip())) < 50
