#!/usr/bin/env node
// The command's entry, committed as plain JavaScript so npm can link it at install time, before
// `prepare` has compiled dist/.
import '../dist/bin.js';
