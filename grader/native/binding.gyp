{
  "targets": [
    {
      "target_name": "fork_server",
      "sources": ["fork-server.c"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Wno-missing-field-initializers"]
    }
  ]
}
