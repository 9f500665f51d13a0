# Prints which framework version and device produced the outputs of a notebook.
import json

import jax

device = jax.devices()[0]
name = "CPU" if device.platform == "cpu" else getattr(device, "device_kind", device.platform.upper())
print(json.dumps({"version": jax.__version__, "device": name}))
