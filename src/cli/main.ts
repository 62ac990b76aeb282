// The cutover command line. (Wired to the commands as they land.)
process.stdout.write('cutover: a terminal console for deployments\n');
