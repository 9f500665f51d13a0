# Prints which framework version and device produced the outputs of a notebook.
import json

import tensorflow as tf

gpus = tf.config.list_physical_devices("GPU")
device = tf.config.experimental.get_device_details(gpus[0]).get("device_name", "GPU") if gpus else "CPU"
print(json.dumps({"version": tf.__version__, "device": device}))
