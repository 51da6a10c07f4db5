#!/usr/bin/python3
"""lava-tool.py — the two things make lava-check and make lava-smoke need from LAVA's
own Python code (Debian's lava-dispatcher 2023.01; run with /usr/bin/python3):

  lava-tool.py device TEMPLATES DEVICE_DICT JOB OUT [NAME=VALUE...]   render a device
      dictionary the way lava-server does (jinja2 over the device-type templates, with the
      job's context and the NAME=VALUE pairs)
  lava-tool.py schema JOB...                          LAVA's own job schema check
      (lava_common.schemas.validate, strict), one line per job, exit 1 on any error
"""
import sys

import jinja2
import yaml


def device(templates, devdict, job, out, *pairs):
    with open(job) as f:
        ctx = (yaml.safe_load(f) or {}).get("context", {})
    for p in pairs:
        k, _, v = p.partition("=")
        ctx[k] = v
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([templates]),
        autoescape=False,
        trim_blocks=True,
    )
    with open(devdict) as f:
        text = env.from_string(f.read()).render(**ctx)
    yaml.safe_load(text)  # a template error shows here, not inside lava-run
    with open(out, "w") as f:
        f.write(text)


def schema(jobs):
    from lava_common.schemas import validate
    from voluptuous import Invalid

    bad = 0
    for job in jobs:
        try:
            with open(job) as f:
                data = yaml.safe_load(f)
            validate(data, strict=True)
            print("schema ok: %s" % job)
        except (Invalid, yaml.YAMLError) as exc:
            path = "/".join(str(p) for p in getattr(exc, "path", []) or [])
            print("schema error: %s: %s%s" % (job, exc, " (at %s)" % path if path else ""))
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) >= 6 and sys.argv[1] == "device":
        device(*sys.argv[2:])
    elif len(sys.argv) >= 3 and sys.argv[1] == "schema":
        sys.exit(schema(sys.argv[2:]))
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)
