"""The ``labkit`` command: ``cli`` (its entry point), ``release`` (the learner edition) and
``doctor`` (is this machine ready?). None of them imports moto or boto3 to start."""
