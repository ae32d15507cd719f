/*
 * The chat widget: talks to Rasa's socket.io channel and keeps the conversation in this tab.
 *
 * - Everything the bot or the person wrote is shown with textContent, never as markup.
 * - The session id and the transcript live in sessionStorage: they survive a reload (the server continues
 *   the same conversation because socket.io session persistence uses that id), and are gone when the tab
 *   closes, which matters on a shared phone or laptop.
 * - Messages typed while the server can't be reached are kept (marked "not sent yet") and sent, in order,
 *   once the connection and the session are back; socket.io reconnects by itself.
 */
(function () {
  "use strict";

  var STORE_KEY = "couples-practice-chat";
  var MAX_CHARS = 2000;
  var COUNTER_FROM = 1800;   // the counter appears this close to the limit
  var MAX_KEPT = 300;        // messages kept in the tab; older ones drop off
  var SETTLE_MS = 1200;      // the bot often sends several bubbles: keep "typing" up briefly after each
  var MAX_WAIT_MS = 30000;   // the server always answers within its own deadline (20 s); never spin forever
  var DOWN_TEXT = "Can't reach the bot right now; trying again…";
  var QUEUED_TEXT = " Your messages will be sent when it's back.";

  var ui = {
    transcript: document.getElementById("transcript"),
    typing: document.getElementById("typing"),
    status: document.getElementById("status-text"),
    announcer: document.getElementById("announcer"),
    form: document.getElementById("composer"),
    input: document.getElementById("message"),
    counter: document.getElementById("counter"),
    startOver: document.getElementById("start-over")
  };

  var state = load();
  var socket = null;
  var confirmed = false;   // session_confirm received on the current connection
  var down = false;
  var timers = { settle: 0, max: 0 };
  var turnStart = null;    // the first bot bubble since the person last sent something

  // ------------------------------------------------------------------------------------------ storage

  function emptyState() {
    return { sessionId: null, nextId: 1, messages: [] };
  }

  function load() {
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(STORE_KEY) || "null");
      if (saved && Array.isArray(saved.messages) && typeof saved.nextId === "number") {
        return saved;
      }
    } catch (error) { /* storage blocked or corrupt: start fresh */ }
    return emptyState();
  }

  function save() {
    state.messages = state.messages.slice(-MAX_KEPT);
    try {
      window.sessionStorage.setItem(STORE_KEY, JSON.stringify(state));
    } catch (error) { /* storage full or blocked: the chat still works, it just won't survive a reload */ }
  }

  // ------------------------------------------------------------------------------------------ rendering

  function formatTime(ms) {
    return new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  function node(tag, className, text) {
    var element = document.createElement(tag);
    if (className) { element.className = className; }
    if (text !== undefined) { element.textContent = text; }
    return element;
  }

  function messageNode(message) {
    var item = node("li", "msg msg-" + message.from);
    item.dataset.id = String(message.id);
    var speaker = { bot: "The bot said:", user: "You said:", note: "Note:" }[message.from];
    item.appendChild(node("span", "visually-hidden", speaker + " "));
    item.appendChild(node("p", "bubble", message.text));

    var meta = node("p", "meta");
    var time = node("time", "", formatTime(message.time));
    time.dateTime = new Date(message.time).toISOString();
    meta.appendChild(time);
    if (message.pending) {
      meta.appendChild(node("span", "pending", " · not sent yet"));
    }
    item.appendChild(meta);

    if (message.buttons && message.buttons.length) {
      var group = node("div", "quick-replies");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", "Quick replies");
      message.buttons.forEach(function (button) {
        var element = node("button", button.title === message.chosen ? "chosen" : "", button.title);
        element.type = "button";
        element.disabled = !message.buttonsOpen;
        element.addEventListener("click", function () { tap(message, button); });
        group.appendChild(element);
      });
      item.appendChild(group);
    }
    return item;
  }

  function scrollToEnd() {
    ui.transcript.scrollTop = ui.transcript.scrollHeight;
  }

  /* Follow the conversation, but never scroll past the start of the bot's current answer: on a phone a
     long answer is read from its first line, not its last. */
  function reveal(item) {
    if (item.classList.contains("msg-bot") && !turnStart) { turnStart = item; }
    var box = ui.transcript;
    var end = box.scrollHeight - box.clientHeight;
    box.scrollTop = turnStart ? Math.min(end, turnStart.offsetTop - 8) : end;
  }

  function renderAll() {
    ui.transcript.textContent = "";
    state.messages.forEach(function (message) { ui.transcript.appendChild(messageNode(message)); });
    scrollToEnd();
  }

  /* Update a shown message in place (not re-created), so keyboard focus elsewhere is not disturbed. */
  function refresh(message) {
    var item = ui.transcript.querySelector('li[data-id="' + message.id + '"]');
    if (!item) { return; }
    var pending = item.querySelector(".pending");
    if (pending && !message.pending) { pending.remove(); }
    item.querySelectorAll(".quick-replies button").forEach(function (element) {
      element.disabled = !message.buttonsOpen;
      element.classList.toggle("chosen", element.textContent === message.chosen);
    });
  }

  function add(fields) {
    var message = Object.assign({ id: state.nextId++, time: Date.now() }, fields);
    state.messages.push(message);
    save();
    var item = ui.transcript.appendChild(messageNode(message));
    while (ui.transcript.children.length > MAX_KEPT) { ui.transcript.firstElementChild.remove(); }
    reveal(item);
    return message;
  }

  function announce(text) {
    ui.announcer.appendChild(node("p", "", text));
    while (ui.announcer.children.length > 5) { ui.announcer.firstElementChild.remove(); }
  }

  function closeButtons() {
    state.messages.forEach(function (message) {
      if (message.buttonsOpen) {
        message.buttonsOpen = false;
        refresh(message);
      }
    });
  }

  // ------------------------------------------------------------------------------------------ status

  function showStatus() {
    var queued = state.messages.some(function (m) { return m.pending; });
    ui.status.textContent = down ? DOWN_TEXT + (queued ? QUEUED_TEXT : "") : "";
    ui.status.parentElement.classList.toggle("is-down", down);
  }

  function setDown(isDown) {
    down = isDown;
    if (isDown) { stopTyping(); }
    showStatus();
  }

  function startTyping() {
    ui.typing.hidden = false;
    window.clearTimeout(timers.settle);
    window.clearTimeout(timers.max);
    timers.max = window.setTimeout(stopTyping, MAX_WAIT_MS);
  }

  function settleTyping() {
    if (ui.typing.hidden) { return; }
    window.clearTimeout(timers.settle);
    timers.settle = window.setTimeout(stopTyping, SETTLE_MS);
  }

  function stopTyping() {
    window.clearTimeout(timers.settle);
    window.clearTimeout(timers.max);
    ui.typing.hidden = true;
  }

  // ------------------------------------------------------------------------------------------ sending

  function ready() {
    return socket !== null && socket.connected && confirmed;
  }

  /* Send what is waiting, oldest first; nothing is handed to socket.io before the session is confirmed,
     because a reply to a socket that has not joined its session's room would be lost. */
  function flush() {
    if (!ready()) {
      showStatus();
      return;
    }
    state.messages.forEach(function (message) {
      if (!message.pending) { return; }
      socket.emit("user_uttered", { message: message.payload, session_id: state.sessionId });
      message.pending = false;
      delete message.payload;
      refresh(message);
      startTyping();
    });
    save();
    showStatus();
  }

  function sendUser(text, payload) {
    closeButtons();
    turnStart = null;
    add({ from: "user", text: text, payload: payload, pending: true });
    flush();
  }

  function tap(message, button) {
    if (!message.buttonsOpen) { return; }
    message.chosen = button.title;
    sendUser(button.title, button.payload);
    ui.input.focus();
  }

  function onSubmit(event) {
    event.preventDefault();
    var text = ui.input.value.trim().slice(0, MAX_CHARS);
    if (!text) {
      ui.input.value = "";
      updateCounter();
      return;
    }
    sendUser(text, text);
    ui.input.value = "";
    updateCounter();
    ui.input.focus();
  }

  function onKeyDown(event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      ui.form.requestSubmit();
    }
  }

  function updateCounter() {
    var used = ui.input.value.length;
    ui.counter.textContent = used >= COUNTER_FROM ? used + " / " + MAX_CHARS + " characters" : "";
    ui.counter.classList.toggle("at-limit", used >= MAX_CHARS);
  }

  // ------------------------------------------------------------------------------------------ receiving

  function quickReplies(data) {
    if (!Array.isArray(data.quick_replies)) { return []; }
    return data.quick_replies.filter(function (b) {
      return b && typeof b.title === "string" && typeof b.payload === "string";
    }).map(function (b) { return { title: b.title, payload: b.payload }; });
  }

  function onBotMessage(data) {
    if (!data || typeof data !== "object") { return; }
    if (data.custom && data.custom.forget === true) {
      restart("This conversation was deleted. You're starting fresh.");
      return;
    }
    var text = typeof data.text === "string" ? data.text : "";
    var buttons = quickReplies(data);
    if (!text && !buttons.length) { return; }
    if (buttons.length) { closeButtons(); }
    add({ from: "bot", text: text, buttons: buttons, buttonsOpen: buttons.length > 0 });
    announce(text);
    settleTyping();
  }

  function onSessionConfirm(sessionId) {
    if (typeof sessionId !== "string" || !sessionId) { return; }
    var isNew = sessionId !== state.sessionId;
    state.sessionId = sessionId;
    confirmed = true;
    save();
    setDown(false);
    var started = state.messages.some(function (m) { return m.from !== "note"; });
    if (isNew && !started) {
      socket.emit("user_uttered", { message: "/greet", session_id: sessionId });
      startTyping();
    }
    flush();
  }

  // ------------------------------------------------------------------------------------------ sessions

  /* A new conversation: forget what this tab kept, then reconnect so the socket leaves the old session's
     room (late replies from it must not land in the new transcript) and asks for a new session id. */
  function restart(note) {
    stopTyping();
    turnStart = null;
    state = emptyState();
    state.messages.push({ id: state.nextId++, time: Date.now(), from: "note", text: note });
    save();
    renderAll();
    announce(note);
    if (socket) {
      confirmed = false;
      socket.disconnect();
      socket.connect();
    }
  }

  function connect() {
    // socket.io to the server that served this page (bot/web/gateway.py passes each message to the bot).
    // Long-polling is plenty for a few small messages a minute, and passes any proxy.
    socket = window.io({
      transports: ["polling"],
      reconnectionDelay: 1000,
      reconnectionDelayMax: 5000,
      timeout: 10000
    });
    socket.on("connect", function () {
      confirmed = false;
      socket.emit("session_request", { session_id: state.sessionId });
    });
    socket.on("session_confirm", onSessionConfirm);
    socket.on("bot_uttered", onBotMessage);
    socket.on("connect_error", function () { setDown(true); });
    socket.on("disconnect", function (reason) {
      confirmed = false;
      if (reason === "io client disconnect") { return; }  // restart() reconnects at once
      setDown(true);
      if (reason === "io server disconnect") { socket.connect(); }  // socket.io won't retry this one itself
    });
  }

  function start() {
    ui.form.addEventListener("submit", onSubmit);
    ui.input.addEventListener("keydown", onKeyDown);
    ui.input.addEventListener("input", updateCounter);
    ui.startOver.addEventListener("click", function () {
      restart("You started over. Earlier messages were cleared from this tab.");
      ui.input.focus();
    });
    renderAll();
    if (typeof window.io !== "function") {
      ui.status.textContent = "The chat could not load. Please reload the page.";
      return;
    }
    connect();
  }

  start();
}());
