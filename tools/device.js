/*
 * tools/device.js: what we assume about an Alexa device, from lambda/runner_strength/device.json, which the skill
 * reads too (lambda/runner_strength/device.py says what each value is). Used by tools/alexa.js for its device
 * clock and by both it and tools/model/resolve.js to tell which phrases invoke our skill.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const DEVICE_FILE = path.join(__dirname, '..', 'lambda', 'runner_strength', 'device.json');
const DEVICE = JSON.parse(fs.readFileSync(DEVICE_FILE, 'utf8'));

// Seconds. A runner speaks after a response has played: about SPEECH_STARTS_S after its request, then its speech
// and silences, then the runner's turn; unless they barge in ("Alexa, pause" part-way through), which stops the
// speech at the wake word, about BARGE_IN_S before the request is stamped.
const SPEECH_STARTS_S = DEVICE.speech_starts_seconds;
const BARGE_IN_S = DEVICE.barge_in_seconds;
const RUNNER_TURN_S = DEVICE.runner_turn_seconds;
const WORD_S = 60 / DEVICE.words_per_minute;

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Matches "[alexa,] open|ask|... <invocation name> [to|for|...] [request]" in `locale`; group 1 is the request.
 * null when there is no invocation name.
 */
function invocationPattern(invocationName, locale = 'en-US') {
  if (!invocationName) {
    return null;
  }
  const phrases = DEVICE.invocation[locale];
  if (!phrases) {
    throw new Error(`${DEVICE_FILE} has no invocation phrases for ${locale}`);
  }
  const verbs = phrases.verbs.map(escapeRegExp).join('|');
  const connectors = phrases.connectors.map(escapeRegExp).join('|');
  const name = invocationName.trim().split(/\s+/).map(escapeRegExp).join('\\s+');
  return new RegExp(`^(?:alexa\\W+)?(?:${verbs})\\s+${name}\\b\\W*(?:(?:${connectors})\\s+)?(.*)$`, 'i');
}

module.exports = { BARGE_IN_S, RUNNER_TURN_S, SPEECH_STARTS_S, WORD_S, invocationPattern };
