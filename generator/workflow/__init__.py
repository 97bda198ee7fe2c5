"""Pull-request tools over git: history and 变更记录, the change report, CODEOWNERS, the new-item scaffold."""
