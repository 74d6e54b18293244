#!/usr/bin/env node
/*
 * tools/alexa.js: a virtual-alexa client for Runner Strength.
 *
 * It talks over HTTP to the running skill endpoint, using our interaction model, in one of two modes:
 *   chat (default)  one utterance per stdin line; prints what Alexa would say as plain text (`make chat`)
 *   --json          one JSON command per stdin line, one JSON answer per stdout line (end-to-end tests)
 *
 * Whose voice Alexa recognises (Skill Personalization: context.System.person.personId) is set by `/voice NAME` in
 * chat and `"person_id"` in a JSON command, and holds for the requests after it until changed; none by default.
 *
 *   node tools/alexa.js --url http://127.0.0.1:PORT/ --model interaction_model/en-US.json \
 *       [--user-id ID] [--application-id ID] [--locale en-US] [--api-endpoint URL] [--json]
 *
 * --api-endpoint is the apiEndpoint the requests name, where the skill asks the device's settings (its time zone),
 * with a deviceId and an apiAccessToken: `make chat` and the end-to-end tests point it at tools/settings_api.py on
 * loopback, never at Amazon's API. Without it the requests name no device, and the skill asks nothing.
 *
 * Where virtual-alexa 0.7.8 differs from Alexa, this client follows Alexa:
 *   - an invocation phrase ("open runner strength", "ask runner strength to ...") always starts a new
 *     session, and only phrases that name our invocation name count (virtual-alexa treats any text
 *     containing "ask", "tell", "open", ... as a launch);
 *   - session attributes the skill leaves out of a response are not sent back;
 *   - a failed call to the skill ends the session.
 *
 * In chat mode it also follows an Echo (a device without a screen) when no skill session is open, before
 * the first invocation and once a session has ended (shouldEndSession true or left out, /end, or a failed
 * call): speech then goes to Alexa, not the skill, so only an invocation phrase reaches the skill ("open
 * runner strength" with a LaunchRequest, "ask runner strength to X" with X in a new session); anything
 * else gets a note from this client and is not sent. JSON mode sends every command as given.
 */
'use strict';

const fs = require('node:fs');
const readline = require('node:readline');
const { parseArgs } = require('node:util');

// virtual-alexa loads aws-sdk v2, which otherwise prints an end-of-support notice at start-up.
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE ??= '1';
const { VirtualAlexa } = require('virtual-alexa');
const { SessionEndedReason } = require('virtual-alexa/lib/src/core/SkillRequest');
const { compileSamplesOnce, teachNumberWords } = require('./model/matcher');
const { BARGE_IN_S, RUNNER_TURN_S, SPEECH_STARTS_S, WORD_S, invocationPattern } = require('./device');

// Alexa's number words past twenty, and matching that stays fast on a model of thousands of samples.
teachNumberWords();
compileSamplesOnce();

const USAGE = 'usage: node tools/alexa.js --url URL --model MODEL.json [--user-id ID] '
  + '[--application-id ID] [--locale en-US] [--api-endpoint URL] [--json]';
const CHAT_USER_ID = 'amzn1.ask.account.runner-strength-chat';
const BANNER = 'Runner Strength chat — say what you would say to Alexa. Try "open runner strength". '
  + 'Ctrl-D or "quit" to leave.';
const CHAT_HELP = [
  '  /launch                              LaunchRequest (new session)',
  '  /intend IntentName slot=value s="a b" IntentRequest with these slot values',
  '  /end [REASON]                        SessionEndedRequest: USER_INITIATED (default),',
  '                                       EXCEEDED_MAX_REPROMPTS (the reprompt went unanswered) or ERROR',
  '  /barge SECONDS what you say          say it SECONDS into the last response (e.g. /barge 20 pause)',
  '  /voice [NAME]                        Alexa recognises NAME\'s voice from now on (a voice profile in the',
  '                                       household); with no NAME, no voice is recognised (the default)',
  '  /help                                this list',
  '  anything else is spoken to Alexa; "quit" or Ctrl-D leaves. Once the session has ended, only',
  '  "open runner strength" or "ask runner strength to ..." reaches the skill, as on a device',
];
const END_REASONS = ['USER_INITIATED', 'EXCEEDED_MAX_REPROMPTS', 'ERROR'];
const COMMAND_KEYS = ['launch', 'utter', 'intend', 'end'];
const OPTION_KEYS = ['slots', 'patch', 'user_id', 'person_id', 'barge'];
// The device's clock (its constants are in ./device.js). Alexa stamps each request to the second; a runner speaks
// after a response has played, unless they barge in. The skill works out where a pause landed from these stamps.
const WRAP_WIDTH = 100;
const SPEECH_PREFIX = 'alexa> ';
const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** An error with a short code, reported to the user instead of crashing. */
class ClientError extends Error {
  constructor(code, message, request) {
    super(message);
    this.code = code;
    this.request = request;
  }
}

// ---------------------------------------------------------------------------------------------
// The client: virtual-alexa plus the request capture, patching and session rules above.

class AlexaClient {
  constructor({ url, model, locale, applicationId, userId, apiEndpoint }) {
    const builder = VirtualAlexa.Builder().interactionModelFile(model).skillURL(url).locale(locale);
    if (applicationId) {
      builder.applicationID(applicationId);
    }
    this.alexa = builder.create();
    this.alexa.parseLaunchRequest = () => undefined; // invocation phrases are handled by utter()
    this.alexa.filter((json) => this.prepareRequest(json));
    this.invocationName = readInvocationName(model);
    this.invocationPattern = invocationPattern(this.invocationName, locale);
    this.patch = null;
    this.sentRequest = null;
    this.deviceMs = Math.floor(Date.now() / 1000) * 1000;
    this.lastStampMs = null;
    this.bargeIn = null; // seconds into the last response at which the next request cuts in
    this.apiEndpoint = apiEndpoint || null;
    if (this.apiEndpoint) {
      // A device with an id, as every Echo has: virtual-alexa then sends a deviceId and an apiAccessToken.
      this.alexa.context().device().generatedID();
    }
    this.personId = null; // the voice Alexa recognises in the requests from now on, or none
    if (userId) {
      this.setUserId(userId);
    }
  }

  setUserId(userId) {
    this.alexa.context().user().setID(userId);
  }

  /** The voice Alexa recognises from the next request on (its personId), or none (null). */
  setPersonId(personId) {
    this.personId = personId;
  }

  /** Whether a session the skill has answered is open, so that speech goes to the skill, not to Alexa. */
  sessionOpen() {
    const context = this.alexa.context();
    return context.activeSession() && !context.session().isNew();
  }

  /** Whether `text` is an invocation phrase naming our invocation name ("open runner strength", ...). */
  isInvocation(text) {
    return Boolean(this.invocationPattern && this.invocationPattern.test(text.trim()));
  }

  /**
   * After the skill's response `body`, ends the session unless shouldEndSession is false, as an Echo
   * without a screen does (virtual-alexa ends it only when shouldEndSession is true).
   */
  followDevice(body) {
    const response = (body && body.response) || {};
    if (this.sessionOpen() && response.shouldEndSession !== false) {
      this.alexa.context().endSession();
    }
  }

  launch(patch) {
    this.alexa.context().newSession();
    return this.send(() => this.alexa.launch(), patch);
  }

  /**
   * Speaks `text`. An invocation phrase opens a new session: "open runner strength" with a LaunchRequest,
   * "ask runner strength to X" with the intent X matches. "exit" ends the session, as in virtual-alexa.
   */
  utter(text, patch) {
    if (text.trim().toLowerCase() === 'exit') {
      return this.end('USER_INITIATED', patch);
    }
    const match = this.invocationPattern && this.invocationPattern.exec(text.trim());
    if (!match) {
      return this.send(() => this.alexa.utter(text), patch);
    }
    if (!match[1]) {
      return this.launch(patch);
    }
    this.alexa.context().newSession();
    return this.send(() => this.alexa.utter(match[1]), patch);
  }

  async intend(intentName, slots, patch) {
    if (!this.alexa.context().interactionModel().hasIntent(intentName)) {
      throw new ClientError('invalid_request', `the interaction model has no intent ${intentName}`);
    }
    return this.send(() => this.alexa.intend(intentName, slots), patch);
  }

  /** Alexa only sends SessionEndedRequest for a session the skill has answered, so that is required here too. */
  async end(reason, patch) {
    if (!this.sessionOpen()) {
      throw new ClientError('no_session', 'there is no open session to end');
    }
    return this.send(() => this.alexa.endSession(SessionEndedReason[reason]), patch);
  }

  /** Sends the request `start()` makes; resolves to {request, response}: the envelope sent and the body received. */
  async send(start, patch) {
    this.patch = patch || null;
    this.sentRequest = null;
    let pending;
    try {
      pending = start();
    } catch (err) {
      const code = /Unable to match utterance/.test(err.message) ? 'no_match' : 'invalid_request';
      throw new ClientError(code, err.message);
    }
    try {
      const response = { ...await pending };
      this.dropOmittedAttributes(response);
      // A tenth over the words-per-minute guess, so a runner who answers never seems to cut in.
      this.deviceMs = this.lastStampMs + (SPEECH_STARTS_S + spokenSeconds(response) * 1.1 + RUNNER_TURN_S) * 1000;
      return { request: this.sentRequest, response };
    } catch (err) {
      this.alexa.context().endSession();
      throw new ClientError('http_error', errorMessage(err), this.sentRequest);
    }
  }

  /** The request filter: stamps the request by the device's clock, applies the command's patch and keeps a copy. */
  prepareRequest(json) {
    let stampMs = this.deviceMs;
    if (this.bargeIn !== null && this.lastStampMs !== null) {
      stampMs = this.lastStampMs + (SPEECH_STARTS_S + this.bargeIn + BARGE_IN_S) * 1000;
      this.bargeIn = null;
    }
    stampMs = Math.max(Math.floor(stampMs / 1000) * 1000, this.lastStampMs ?? 0);
    if (json.request) {
      json.request.timestamp = new Date(stampMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
    if (this.apiEndpoint && json.context && json.context.System) {
      json.context.System.apiEndpoint = this.apiEndpoint;
    }
    this.lastStampMs = stampMs;
    const system = json.context && json.context.System;
    if (system && this.personId) {
      system.person = { personId: this.personId };
    } else if (system) {
      delete system.person;
    }
    if (this.patch) {
      const patched = mergePatch(JSON.parse(JSON.stringify(json)), this.patch);
      for (const key of Object.keys(json)) {
        delete json[key];
      }
      Object.assign(json, patched);
    }
    this.sentRequest = JSON.parse(JSON.stringify(json));
  }

  /** virtual-alexa resends the previous attributes when a response has none; Alexa sends none. */
  dropOmittedAttributes(response) {
    const context = this.alexa.context();
    if (context.activeSession() && response.sessionAttributes == null) {
      context.session().updateAttributes({});
    }
  }
}

function readInvocationName(modelFile) {
  const model = JSON.parse(fs.readFileSync(modelFile, 'utf8'));
  const languageModel = (model.interactionModel || model).languageModel || model;
  return languageModel.invocationName;
}

/** RFC 7396 JSON merge patch: objects merge recursively, null deletes, anything else replaces. */
function mergePatch(target, patch) {
  if (!isPlainObject(patch)) {
    return patch;
  }
  const result = isPlainObject(target) ? target : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
    } else {
      result[key] = mergePatch(result[key], value);
    }
  }
  return result;
}

function isPlainObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorMessage(err) {
  return err instanceof Error ? err.message || err.code || String(err) : String(err);
}

// ---------------------------------------------------------------------------------------------
// Rendering a response as text.

/** Plain text of an outputSpeech (SSML or PlainText) on one line, or null when there is none. */
function speechText(outputSpeech) {
  if (!outputSpeech) {
    return null;
  }
  if (typeof outputSpeech.ssml === 'string') {
    return collapseSpace(ssmlToText(outputSpeech.ssml));
  }
  return typeof outputSpeech.text === 'string' ? collapseSpace(outputSpeech.text) : null;
}

function ssmlToText(ssml) {
  return ssml
    .replace(/(?:\s*<break\b[^>]*>(?:\s*<\/break>)?)+\s*/gi, (run) => ` ${pauseMarker(run)} `)
    .replace(/<\/?(?:speak|p|s)\b[^>]*>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|apos);/g, (entity, name) => ENTITIES[name]);
}

/** One marker for a run of breaks: "…(8.9s)…" with their total length to a tenth of a second (the coach's
 * pauses are cut to the words around them, so whole seconds would hide the clock), "……" when that is 0.0s. */
function pauseMarker(breaks) {
  const totalMs = breaks.match(/<break\b[^>]*>/gi).reduce((sum, tag) => sum + breakMs(tag), 0);
  const tenths = Math.round(totalMs / 100);
  return tenths ? `…(${(tenths / 10).toFixed(1)}s)…` : '……';
}

/** time="10s" or time="2500ms"; strength-only breaks count as 0. */
function breakMs(tag) {
  const time = /\btime\s*=\s*["']\s*([\d.]+)\s*(ms|s)\s*["']/i.exec(tag);
  if (!time) {
    return 0;
  }
  return parseFloat(time[1]) * (time[2].toLowerCase() === 'ms' ? 1 : 1000);
}

function collapseSpace(text) {
  return text.replace(/\s+/g, ' ').trim();
}

function cardLine(card) {
  const title = card.title || card.type || 'card';
  const body = collapseSpace(String(card.content || card.text || ''));
  const snippet = body.length > 80 ? `${body.slice(0, 80).trimEnd()}…` : body;
  return snippet ? `  (card: ${title} — ${snippet})` : `  (card: ${title})`;
}

/** Word-wraps `text` after `prefix`, indenting continuation lines to the prefix's width. */
function wrap(prefix, text, width) {
  const indent = ' '.repeat(prefix.length);
  const lines = [];
  let line = prefix;
  for (const word of text.split(' ')) {
    if (line.length > indent.length && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else {
      line += (line.length > indent.length ? ' ' : '') + word;
    }
  }
  lines.push(line);
  return lines.join('\n');
}

/** The parts of a response body that a person hears or sees. */
function summarize(body) {
  const response = (body && body.response) || {};
  return {
    speech: speechText(response.outputSpeech),
    reprompt: speechText(response.reprompt && response.reprompt.outputSpeech),
    card: response.card || null,
    ended: response.shouldEndSession === true,
  };
}

/** What chat prints for a response; `ended` says whether the session is over after it. */
function chatLines(body, ended) {
  const { speech, reprompt, card } = summarize(body);
  const lines = [speech ? wrap(SPEECH_PREFIX, speech, WRAP_WIDTH) : `${SPEECH_PREFIX}(silent)`];
  if (speech) {
    lines.push(`  (plays about ${spokenSeconds(body).toFixed(1)} s)`);
  }
  if (reprompt) {
    lines.push(`  (reprompt: ${reprompt})`);
  }
  if (card) {
    lines.push(cardLine(card));
  }
  if (ended) {
    lines.push('  (session ended)');
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Chat mode.

async function runChat(client) {
  const tty = Boolean(process.stdin.isTTY);
  const rl = readline.createInterface({ input: process.stdin, output: tty ? process.stdout : undefined, terminal: tty });
  print(BANNER);
  rl.setPrompt('you> ');
  if (tty) {
    rl.on('SIGINT', () => rl.close());
    rl.prompt();
  }
  let quit = false;
  for await (const raw of rl) {
    const line = raw.trim();
    quit = line.toLowerCase() === 'quit';
    if (quit) {
      break;
    }
    if (line && !line.startsWith('#')) {
      if (!tty) {
        print(`you> ${line}`);
      }
      await chatTurn(client, line);
    }
    if (tty) {
      rl.prompt();
    }
  }
  rl.close();
  if (tty && !quit) {
    print(''); // Ctrl-D and Ctrl-C leave the cursor after the prompt
  }
}

async function chatTurn(client, line) {
  try {
    const result = line.startsWith('/') ? await runSlashCommand(client, line) : await speak(client, line);
    if (result) {
      client.followDevice(result.response);
      print(chatLines(result.response, !client.sessionOpen()).join('\n'));
      const tally = workoutTally(client, result.response);
      if (tally) {
        print(tally);
      }
    }
  } catch (err) {
    print(`  (error: ${err.message})`);
    if (err.code === 'http_error') {
      print('  (session ended)');
    }
  }
}

/**
 * Speech goes where a device sends it: to the skill while its session is open; once it has ended, to
 * Alexa, so only an invocation phrase reaches the skill (a launch, or a one-shot in a new session).
 * Resolves to a send() result, or to null when nothing was sent.
 */
async function speak(client, line) {
  if (!client.sessionOpen() && !client.isInvocation(line)) {
    print(noSessionLine(client.invocationName));
    return null;
  }
  return utterOrFallBack(client, line);
}

function noSessionLine(invocationName) {
  const name = invocationName || 'the skill';
  return `  (no skill session is open: Alexa would answer this herself. Say "open ${name}", `
    + `or "ask ${name} to …")`;
}

async function utterOrFallBack(client, line) {
  try {
    return await client.utter(line);
  } catch (err) {
    if (err.code !== 'no_match') {
      throw err;
    }
    print(`  (no sample utterance matched "${line}"; sent as AMAZON.FallbackIntent)`);
    return client.intend('AMAZON.FallbackIntent');
  }
}

/** Runs a /command; resolves to a send() result, or to null when there is nothing to send. */
async function runSlashCommand(client, line) {
  const [, command, args] = /^(\S+)\s*(.*)$/.exec(line);
  switch (command) {
    case '/launch':
      return client.launch();
    case '/intend': {
      const [, intentName, slotArgs] = /^(\S*)(.*)$/.exec(args);
      if (!intentName) {
        throw new ClientError('bad_command', 'usage: /intend IntentName slot=value ...');
      }
      return client.intend(intentName, parseSlotArgs(slotArgs));
    }
    case '/end':
      return client.end(endReason(args || 'USER_INITIATED'));
    case '/barge': {
      const [, seconds, rest] = /^([\d.]+)\s+(.+)$/.exec(args) || [];
      if (!rest) {
        throw new ClientError('bad_command', 'usage: /barge SECONDS what you say (cut into the last response)');
      }
      client.bargeIn = Number(seconds);
      return speak(client, rest);
    }
    case '/voice': {
      const name = args.trim();
      if (name && !/^[A-Za-z0-9._-]+$/.test(name)) {
        throw new ClientError('bad_command', 'usage: /voice [NAME] (letters, digits, dots, dashes)');
      }
      client.setPersonId(name ? `amzn1.ask.person.${name}` : null);
      print(name ? `  (Alexa recognises ${name}'s voice from now on)` : '  (no voice is recognised from now on)');
      return null;
    }
    case '/help':
      print(CHAT_HELP.join('\n'));
      return null;
    default:
      print(`  (unknown command ${command}; /help lists the commands)`);
      return null;
  }
}

/** `slot=value slot2="two words" slot3='more words'` → {slot: 'value', ...} */
function parseSlotArgs(text) {
  const slots = {};
  const leftover = text.replace(/([A-Za-z_][\w.-]*)=(?:"([^"]*)"|'([^']*)'|(\S*))/g,
    (arg, name, doubleQuoted, singleQuoted, bare) => {
      slots[name] = doubleQuoted ?? singleQuoted ?? bare;
      return '';
    });
  if (leftover.trim()) {
    throw new ClientError('bad_command', `expected slot=value arguments, not: ${leftover.trim()}`);
  }
  return slots;
}

function endReason(reason) {
  const name = String(reason).toUpperCase();
  if (!END_REASONS.includes(name)) {
    throw new ClientError('bad_command', `the end reason must be one of ${END_REASONS.join(', ')}`);
  }
  return name;
}

/**
 * How hands-free the workout was, said once its last response (the one with the summary) comes: the hand-backs
 * (responses that waited for the runner to go on), and the talk (every word at Alexa's usual rate, counts
 * included) against the whole time from "ready" to the finish, the runner's turns included, as
 * tests/support/handsfree.py measures it. Counting starts with the first response that speaks the workout, and
 * starts again when a new circuit is built.
 */
function workoutTally(client, body) {
  const attributes = (body && body.sessionAttributes) || {};
  const response = (body && body.response) || {};
  if (!attributes.block_sent && ((attributes.question || {}).name === 'ready')) {
    client.tally = null; // a circuit built, not started: a new count
    return null;
  }
  if (attributes.block_sent && !client.tally) {
    client.tally = { handBacks: 0, talk: 0, silence: 0 };
  }
  if (!client.tally || !response.outputSpeech) {
    return null;
  }
  const ssml = response.outputSpeech.ssml || '';
  for (const [, amount, unit] of ssml.matchAll(/<break time="([\d.]+)(ms|s)"\/>/g)) {
    client.tally.silence += Number(amount) / (unit === 'ms' ? 1000 : 1);
  }
  client.tally.talk += ssml.replace(/<[^>]+>/g, ' ').split(/\s+/).filter(Boolean).length * WORD_S;
  if (!attributes.summed_up) {
    if (response.shouldEndSession === false) {
      client.tally.handBacks += 1;
    }
    return null;
  }
  const { handBacks, talk, silence } = client.tally;
  client.tally = null;
  const total = talk + silence + handBacks * (RUNNER_TURN_S + SPEECH_STARTS_S);
  return `  (workout: ${handBacks} hand-backs in ${(total / 60).toFixed(1)} min; talk ${talk.toFixed(0)} s of `
    + `${total.toFixed(0)} s, ${((100 * talk) / total).toFixed(1)}%)`;
}

/** How long a response plays: its breaks, and its words at Alexa's usual rate (device.json). */
function spokenSeconds(body) {
  const ssml = (((body || {}).response || {}).outputSpeech || {}).ssml || '';
  let seconds = 0;
  for (const [, amount, unit] of ssml.matchAll(/<break time="([\d.]+)(ms|s)"\/>/g)) {
    seconds += Number(amount) / (unit === 'ms' ? 1000 : 1);
  }
  const words = ssml.replace(/<[^>]+>/g, ' ').split(/\s+/).filter(Boolean).length;
  return seconds + words * WORD_S;
}

// ---------------------------------------------------------------------------------------------
// JSON mode.

async function runJson(client) {
  const rl = readline.createInterface({ input: process.stdin, terminal: false });
  for await (const line of rl) {
    if (line.trim()) {
      print(JSON.stringify(await answer(client, line)));
    }
  }
}

async function answer(client, line) {
  try {
    const command = parseCommand(line);
    if (command.user_id !== undefined) {
      client.setUserId(command.user_id);
    }
    if (command.person_id !== undefined) {
      client.setPersonId(command.person_id);
    }
    if (command.barge !== undefined) {
      client.bargeIn = Number(command.barge);
    }
    const { request, response } = await runCommand(client, command);
    const { speech, reprompt, ended } = summarize(response);
    return { ok: true, request, response, speech, reprompt, ended };
  } catch (err) {
    if (!(err instanceof ClientError)) {
      return { ok: false, error: 'internal', message: errorMessage(err) };
    }
    const failure = { ok: false, error: err.code, message: err.message };
    return err.request ? { ...failure, request: err.request } : failure;
  }
}

function runCommand(client, command) {
  const { patch } = command;
  if (command.launch !== undefined) {
    return client.launch(patch);
  }
  if (command.utter !== undefined) {
    return client.utter(command.utter, patch);
  }
  if (command.intend !== undefined) {
    return client.intend(command.intend, command.slots, patch);
  }
  return client.end(command.end === true ? 'USER_INITIATED' : command.end, patch);
}

/** Parses and checks one JSON command line; throws a bad_command ClientError when it is not valid. */
function parseCommand(line) {
  let command;
  try {
    command = JSON.parse(line);
  } catch (err) {
    throw new ClientError('bad_command', `not JSON: ${err.message}`);
  }
  if (!isPlainObject(command)) {
    throw new ClientError('bad_command', 'a command must be a JSON object');
  }
  const unknown = Object.keys(command).filter((key) => !COMMAND_KEYS.includes(key) && !OPTION_KEYS.includes(key));
  const actions = COMMAND_KEYS.filter((key) => key in command);
  const problem = unknown.length ? `unknown keys: ${unknown.join(', ')}`
    : actions.length !== 1 ? `give exactly one of ${COMMAND_KEYS.join(', ')}`
      : commandProblem(command);
  if (problem) {
    throw new ClientError('bad_command', problem);
  }
  return command;
}

function commandProblem(command) {
  if ('launch' in command && command.launch !== true) {
    return '"launch" must be true';
  }
  if ('utter' in command && typeof command.utter !== 'string') {
    return '"utter" must be a string';
  }
  if ('intend' in command && typeof command.intend !== 'string') {
    return '"intend" must be an intent name';
  }
  if ('slots' in command && !('intend' in command)) {
    return '"slots" goes with "intend"';
  }
  if ('slots' in command && !(isPlainObject(command.slots)
      && Object.values(command.slots).every((value) => typeof value === 'string'))) {
    return '"slots" must map slot names to string values';
  }
  if ('end' in command && command.end !== true && !END_REASONS.includes(command.end)) {
    return `"end" must be true or one of ${END_REASONS.join(', ')}`;
  }
  if ('patch' in command && !isPlainObject(command.patch)) {
    return '"patch" must be a JSON object';
  }
  if ('user_id' in command && (typeof command.user_id !== 'string' || !command.user_id)) {
    return '"user_id" must be a non-empty string';
  }
  if ('person_id' in command && command.person_id !== null
      && (typeof command.person_id !== 'string' || !command.person_id)) {
    return '"person_id" must be a non-empty string, or null for no voice recognised';
  }
  return null;
}

// ---------------------------------------------------------------------------------------------

function print(text) {
  process.stdout.write(`${text}\n`);
}

function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string' },
      model: { type: 'string' },
      'user-id': { type: 'string' },
      'application-id': { type: 'string' },
      locale: { type: 'string', default: 'en-US' },
      'api-endpoint': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (!values.url || !values.model) {
    throw new Error('--url and --model are required');
  }
  return values;
}

async function main() {
  let options;
  let client;
  try {
    options = parseOptions(process.argv.slice(2));
    client = new AlexaClient({
      url: options.url,
      model: options.model,
      locale: options.locale,
      applicationId: options['application-id'],
      userId: options['user-id'] || (options.json ? undefined : CHAT_USER_ID),
      apiEndpoint: options['api-endpoint'],
    });
  } catch (err) {
    process.stderr.write(`alexa.js: ${err.message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  process.stdout.on('error', () => process.exit(0)); // the reader went away
  await (options.json ? runJson(client) : runChat(client));
}

main();
