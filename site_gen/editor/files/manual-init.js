// Decap CMS waits for site_gen's script, which gives it the configuration made by
// site_gen/editor/config.py (no config.yml is written by hand).
window.CMS_MANUAL_INIT = true;
