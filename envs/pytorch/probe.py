# Prints which framework version and device produced the outputs of a notebook.
import json

import torch

device = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "CPU"
print(json.dumps({"version": torch.__version__, "device": device}))
