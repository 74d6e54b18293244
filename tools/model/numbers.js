/*
 * tools/model/numbers.js: teach virtual-alexa's AMAZON.NUMBER the number words Alexa understands.
 *
 * virtual-alexa 0.7.8 matches AMAZON.NUMBER only as digits or the words "one" to "twenty", so "rest forty
 * five seconds" matches no sample, though Alexa resolves it to 45. teachNumberWords() adds the words for 0 to
 * 999 ("forty five", "one hundred twenty", "one hundred and twenty", "a hundred") to the built-in type. Call it
 * before building a VirtualAlexa; the slot value sent is the words, which the skill's slot reader parses.
 */
'use strict';

const { NumberSlotType } = require('virtual-alexa/lib/src/model/BuiltinSlotTypes');

const UNITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven',
  'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** Ways to say `n` (0 to 999) in words. */
function numberWords(n) {
  if (n < 20) {
    return [UNITS[n]];
  }
  if (n < 100) {
    return [n % 10 ? `${TENS[Math.floor(n / 10)]} ${UNITS[n % 10]}` : TENS[n / 10]];
  }
  const hundreds = Math.floor(n / 100);
  const heads = hundreds === 1 ? ['one hundred', 'a hundred'] : [`${UNITS[hundreds]} hundred`];
  if (n % 100 === 0) {
    return heads;
  }
  const [rest] = numberWords(n % 100);
  return heads.flatMap((head) => [`${head} ${rest}`, `${head} and ${rest}`]);
}

function teachNumberWords() {
  for (let n = 0; n < 1000; n += 1) {
    const known = NumberSlotType.LONG_FORM_VALUES[n] || [];
    NumberSlotType.LONG_FORM_VALUES[n] = [...new Set([...known, ...numberWords(n)])];
  }
}

module.exports = { numberWords, teachNumberWords };
