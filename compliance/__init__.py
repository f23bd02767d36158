"""The self-check (自查): the site scored the way the inspectors score it, per unit and site-wide,
updated daily, and the 政府网站工作年度报表. Other apps add checks through `compliance.registry`."""
