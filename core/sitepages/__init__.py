"""Site pages: the organisation's own pages (About, Team, a call for papers, the home page),
placed in a tree whose slugs make their addresses (``/about/team/``), with a body of ordered
blocks. A publishable content type of the platform, registered like every other one."""
