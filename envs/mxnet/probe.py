# Prints which framework version and device produced the outputs of a notebook.
import json

import mxnet as mx
from mxnet import npx

device = "GPU" if npx.num_gpus() > 0 else "CPU"
print(json.dumps({"version": mx.__version__, "device": device}))
