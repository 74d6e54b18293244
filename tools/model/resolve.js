#!/usr/bin/env node
/*
 * tools/model/resolve.js: what virtual-alexa's matcher makes of many phrases, in one process.
 *
 *   node tools/model/resolve.js --model interaction_model/en-US.json [--alexa-numbers] < phrases.jsonl
 *
 * Reads one JSON string per line; writes one JSON object per line:
 *   {"text": ..., "intent": "BuildCircuitIntent", "slots": {"area": {"value": "glutes", "id": "GLUTE_MEDIUS"}}}
 * with "intent": null when no sample matches. Slots are read from the IntentRequest virtual-alexa would send, so
 * an id is the first entity-resolution match, exactly what the skill sees.
 *
 * Invocations are treated as tools/alexa.js treats them: only phrases naming our invocation name count
 * ("open runner strength" is a LaunchRequest, "ask runner strength for a circuit" is "a circuit").
 *
 * --alexa-numbers: virtual-alexa 0.7.8 knows AMAZON.NUMBER only as digits or the words one to twenty; Alexa
 * also hears "forty five" or "one hundred and twenty" as numbers. With this flag the number words up to 999
 * are known as well (see matcher.js, which also keeps matching fast on a large model).
 */
'use strict';

const readline = require('node:readline');
const { parseArgs } = require('node:util');

process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE ??= '1';
const { VirtualAlexa } = require('virtual-alexa');
const { Utterance } = require('virtual-core');
const { invocationPattern } = require('../device');
const { compileSamplesOnce, teachNumberWords } = require('./matcher');

function resolver(modelFile) {
  const alexa = VirtualAlexa.Builder().interactionModelFile(modelFile).skillURL('http://127.0.0.1:9/').create();
  const model = alexa.context().interactionModel();
  const invocation = invocationPattern(require(require('node:path').resolve(modelFile))
    .interactionModel.languageModel.invocationName);

  return function resolve(text) {
    const phrase = text.trim();
    if (phrase.toLowerCase() === 'exit') {
      return { text, intent: 'SessionEndedRequest', slots: {} };
    }
    const invoked = invocation.exec(phrase);
    if (invoked && !invoked[1]) {
      return { text, intent: 'LaunchRequest', slots: {} };
    }
    const utterance = new Utterance(model, invoked ? invoked[1] : phrase);
    if (!utterance.matched()) {
      return { text, intent: null, slots: {} };
    }
    const request = alexa.request().intent(utterance.intent()).slots(utterance.toJSON()).json();
    const slots = {};
    for (const [name, slot] of Object.entries(request.request.intent.slots || {})) {
      if (slot.value === undefined || slot.value === '') {
        continue;
      }
      const authorities = (slot.resolutions && slot.resolutions.resolutionsPerAuthority) || [];
      const match = authorities.find((authority) => authority.status.code === 'ER_SUCCESS_MATCH');
      slots[name] = { value: slot.value, id: match ? match.values[0].value.id : null };
    }
    return { text, intent: utterance.intent(), slots };
  };
}

async function main() {
  const { values } = parseArgs({
    options: { model: { type: 'string' }, 'alexa-numbers': { type: 'boolean', default: false } },
  });
  if (!values.model) {
    process.stderr.write('usage: node tools/model/resolve.js --model MODEL.json [--alexa-numbers] < phrases.jsonl\n');
    process.exitCode = 2;
    return;
  }
  compileSamplesOnce();
  if (values['alexa-numbers']) {
    teachNumberWords();
  }
  const resolve = resolver(values.model);
  const lines = readline.createInterface({ input: process.stdin, terminal: false });
  for await (const line of lines) {
    if (line.trim()) {
      process.stdout.write(`${JSON.stringify(resolve(JSON.parse(line)))}\n`);
    }
  }
}

main();
