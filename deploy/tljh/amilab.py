# The Littlest JupyterHub: AMI Lab for a class. deploy/tljh/install.sh copies this file to
# /opt/tljh/config/jupyterhub_config.d/amilab.py (after setting COURSE_REPO and COURSE_BRANCH);
# `sudo tljh-config reload` reads it. Memory and CPU limits and the idle culler are TLJH settings
# (tljh-config, in install.sh), not set here.
c = get_config()  # noqa: F821 - JupyterHub provides get_config to its config files

COURSE_REPO = "https://github.com/ORG/REPO"  # the course's git repository (install.sh sets it)
COURSE_BRANCH = "main"  # the branch learners follow: a push to it reaches them (install.sh sets it)
COURSE_DIR = "/srv/ami-lab"  # the course on the server: the start scripts come from here

# Each learner's server starts with amilab-start: nbgitpuller pulls COURSE_REPO into
# ~/.amilab/course and `labkit release` writes the learner edition into ~/ami-lab, keeping every
# lesson the learner has changed. Then JupyterLab opens the welcome lesson.
c.Spawner.cmd = [f"{COURSE_DIR}/deploy/bin/amilab-start"]
c.Spawner.default_url = "/lab/tree/ami-lab/00-welcome.ipynb"
c.Spawner.environment = {
    "AMILAB_REPO": COURSE_REPO,
    "AMILAB_REF": COURSE_BRANCH,
    "AMILAB_PYTHON": "/opt/tljh/user/bin/python",
}
# The first start clones the course and writes nine lessons: allow for a busy server.
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 120
