// Optional: "expand all / collapse all" for the stack groups. Without JS every <details> still opens by hand.
(function () {
  var bar = document.querySelector('.toolbar[data-for="stacks"]');
  if (!bar) { return; }
  function button(text, open) {
    var b = document.createElement('button');
    b.type = 'button';
    b.textContent = text;
    b.addEventListener('click', function () {
      document.querySelectorAll('#stacks details.group').forEach(function (d) { d.open = open; });
    });
    bar.appendChild(b);
  }
  button('Expand all', true);
  button('Collapse all', false);
})();
