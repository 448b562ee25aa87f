/* Runs first, in its own script: every uncaught error and console.error of the page is kept and, at
   load, written into a hidden pre element (id board-errors, attribute data-count = how many), so a
   headless browser's dumped DOM shows them; a syntax error in board.js cannot stop this script. */
(function () {
  'use strict';
  var errors = [];
  window.addEventListener('error', function (e) { errors.push(String(e.message || e)); });
  window.addEventListener('unhandledrejection', function (e) { errors.push('unhandled rejection: ' + String(e.reason)); });
  var original = console.error;
  console.error = function () {
    errors.push(Array.prototype.join.call(arguments, ' '));
    return original.apply(console, arguments);
  };
  window.addEventListener('load', function () {
    var pre = document.createElement('pre');
    pre.id = 'board-errors';
    pre.hidden = true;
    pre.setAttribute('data-count', String(errors.length));
    pre.textContent = errors.join('\n');
    document.body.appendChild(pre);
  });
})();
