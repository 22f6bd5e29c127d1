require 'minitest/autorun'
require_relative 'account'

class HiddenAccountTest < Minitest::Test
  def test_overdraft_limit_is_inclusive
    account = Account.new(overdraft_limit: 500)
    account.withdraw(500)
    assert_equal(-500, account.balance)
    assert_raises(Account::InsufficientFunds) { account.withdraw(1) }
    assert_equal(-500, account.balance)
    assert_equal [[:withdraw, 500]], account.history
  end

  def test_errors_form_one_family
    assert Account::InsufficientFunds.ancestors.include?(Account::Error)
    assert Account::Closed.ancestors.include?(Account::Error)
    assert Account::Error.ancestors.include?(StandardError)
  end

  def test_amounts_must_be_positive_integers
    account = Account.new
    account.deposit(100)
    [0, -1, 1.5, nil, '10'].each do |bad|
      assert_raises(ArgumentError, "deposit(#{bad.inspect})") { account.deposit(bad) }
      assert_raises(ArgumentError, "withdraw(#{bad.inspect})") { account.withdraw(bad) }
      assert_raises(ArgumentError, "transfer(#{bad.inspect})") { account.transfer(bad, to: Account.new) }
    end
    assert_equal 100, account.balance
    assert_equal [[:deposit, 100]], account.history
  end

  def test_transfer_records_both_sides
    alice = Account.new
    bob = Account.new
    alice.deposit(300)
    alice.transfer(100, to: bob)
    assert_equal [[:deposit, 300], [:transfer_out, 100]], alice.history
    assert_equal [[:transfer_in, 100]], bob.history
  end

  def test_failed_transfer_changes_nothing
    alice = Account.new
    bob = Account.new
    alice.deposit(100)
    assert_raises(Account::InsufficientFunds) { alice.transfer(101, to: bob) }
    assert_equal [100, 0], [alice.balance, bob.balance]
    assert_equal [[:deposit, 100]], alice.history
    assert_equal [], bob.history
  end

  def test_transfer_to_a_closed_account_changes_nothing
    alice = Account.new
    bob = Account.new
    bob.close
    alice.deposit(100)
    assert_raises(Account::Closed) { alice.transfer(50, to: bob) }
    assert_equal 100, alice.balance
    assert_equal [[:deposit, 100]], alice.history
    assert_equal 0, bob.balance
  end

  def test_transfer_from_a_closed_account
    alice = Account.new
    alice.close
    assert_raises(Account::Closed) { alice.transfer(1, to: Account.new) }
  end

  def test_transfer_to_itself
    alice = Account.new
    alice.deposit(100)
    assert_raises(ArgumentError) { alice.transfer(10, to: alice) }
    assert_equal 100, alice.balance
  end

  def test_transfer_may_use_the_overdraft
    alice = Account.new(overdraft_limit: 50)
    bob = Account.new
    alice.transfer(50, to: bob)
    assert_equal [-50, 50], [alice.balance, bob.balance]
  end

  def test_only_an_empty_account_can_close
    account = Account.new
    account.deposit(10)
    error = assert_raises(Account::Error) { account.close }
    refute_kind_of Account::Closed, error
    refute account.closed?
    account.withdraw(10)
    account.close
    assert account.closed?
    assert_raises(Account::Closed) { account.close }
    assert_raises(Account::Closed) { account.withdraw(1) }
    assert_equal 0, account.balance
    assert_equal [[:deposit, 10], [:withdraw, 10]], account.history
  end

  def test_an_overdrawn_account_cannot_close
    account = Account.new(overdraft_limit: 100)
    account.withdraw(1)
    assert_raises(Account::Error) { account.close }
    refute account.closed?
  end

  def test_history_is_a_copy
    account = Account.new
    account.deposit(5)
    account.history << [:deposit, 1_000_000]
    account.history.clear
    assert_equal [[:deposit, 5]], account.history
  end

  def test_a_new_account_is_open
    refute Account.new.closed?
  end
end
