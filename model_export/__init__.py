"""Training, evaluation, ONNX export and case-base building (needs the `train` extra).

Imports ecgviewer's preprocessing so training and the app never drift apart;
ecgviewer never imports this package.
"""
