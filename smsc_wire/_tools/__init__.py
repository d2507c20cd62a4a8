"""The tools around the codecs: sniffing, verdicts on captured bodies, fixture corpora, files
read safely, and the ``smsc-wire`` command line."""
