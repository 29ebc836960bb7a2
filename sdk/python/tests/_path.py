"""Lets the tests import the package from this source tree without installing it."""

import os
import sys

SOURCE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if SOURCE not in sys.path:
    sys.path.insert(0, SOURCE)
